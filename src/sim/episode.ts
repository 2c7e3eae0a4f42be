import { z } from "zod";

/** One message of an episode's trajectory, in τ²'s terms (assistant = the agent). */
export const EpisodeToolCall = z.object({ id: z.string(), name: z.string(), arguments: z.record(z.string(), z.unknown()) });
export type EpisodeToolCall = z.infer<typeof EpisodeToolCall>;

export const EpisodeMessage = z.discriminatedUnion("role", [
  z.object({ role: z.literal("assistant"), content: z.string().nullable(), toolCalls: z.array(EpisodeToolCall).optional(), turn: z.int() }),
  z.object({ role: z.literal("user"), content: z.string(), turn: z.int() }),
  z.object({ role: z.literal("tool"), content: z.string(), toolCallId: z.string(), name: z.string(), error: z.boolean(), turn: z.int() }),
]);
export type EpisodeMessage = z.infer<typeof EpisodeMessage>;

/** Why an episode ended. Only user_stop (and agent_stop) can score; everything else scores 0. */
export const Termination = z.enum(["user_stop", "agent_stop", "max_steps", "too_many_errors", "agent_error", "user_error", "infrastructure_error", "interrupted"]);
export type Termination = z.infer<typeof Termination>;

export interface EpisodeOutcome {
  messages: EpisodeMessage[];
  termination: Termination;
  /** The stop token the user emitted, when termination is user_stop. */
  stopToken?: string;
  steps: number;
  toolErrors: number;
  /** Infrastructure failure message (LLM call failed for good). */
  error?: string;
  usage: { calls: number; promptTokens: number; completionTokens: number };
  ms: number;
}
