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

/**
 * Why an episode ended: τ²'s termination reasons, plus `interrupted` (Ctrl-C or a spent budget: never
 * stored, redone by --resume). Only user_stop and agent_stop can score; everything else scores 0.
 */
export const Termination = z.enum(["user_stop", "agent_stop", "max_steps", "too_many_errors", "agent_error", "user_error", "infrastructure_error", "interrupted"]);
export type Termination = z.infer<typeof Termination>;

/** Terminations that end an episode without a conversation worth scoring (τ² and the reference drop them). */
export const UNSCORED_TERMINATIONS: ReadonlySet<Termination> = new Set(["infrastructure_error", "agent_error", "user_error"]);

/** An answer τ² could not take (it raises, and the PPol reference re-runs the episode). */
export const Unparseable = z.object({ party: z.enum(["agent", "user"]), reason: z.string(), turn: z.int() });
export type Unparseable = z.infer<typeof Unparseable>;

/** One re-run episode attempt: which attempt, at what agent temperature, and what could not be parsed. */
export const EpisodeRetry = Unparseable.extend({ attempt: z.int().nonnegative(), agent_temperature: z.number(), steps: z.int(), llm_calls: z.int() });
export type EpisodeRetry = z.infer<typeof EpisodeRetry>;
