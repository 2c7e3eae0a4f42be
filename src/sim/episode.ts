import type { EpisodeMessage, Termination, Unparseable } from "../model/index.ts";

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
