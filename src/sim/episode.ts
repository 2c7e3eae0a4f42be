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

/** An answer τ² could not take (it raises, and the PPol reference re-runs the episode). */
export const Unparseable = z.object({ party: z.enum(["agent", "user"]), reason: z.string(), turn: z.int() });
export type Unparseable = z.infer<typeof Unparseable>;

/** One re-run episode attempt: which attempt, at what agent temperature, and what could not be parsed. */
export const EpisodeRetry = Unparseable.extend({ attempt: z.int().nonnegative(), agent_temperature: z.number(), steps: z.int(), llm_calls: z.int() });
export type EpisodeRetry = z.infer<typeof EpisodeRetry>;

export interface EpisodeOutcome {
  messages: EpisodeMessage[];
  termination: Termination;
  /** The stop token the user emitted, when termination is user_stop. */
  stopToken?: string;
  steps: number;
  toolErrors: number;
  /** Infrastructure failure message (LLM call failed for good). */
  error?: string;
  /** Set when termination is agent_error / user_error: the answer that could not be parsed. */
  unparseable?: Unparseable;
  usage: { calls: number; promptTokens: number; completionTokens: number };
  ms: number;
}
