/**
 * Re-running an episode whose output τ² could not parse, as the PPol reference's τ² runner does: up to 5
 * attempts of the whole episode, the agent's temperature raised step by step (0, 0, 0.4, 0.7, 1.0). Every
 * failed attempt is recorded with the episode; the last attempt's outcome is the episode's.
 */
import type { EpisodeRetry } from "../model/index.ts";
import type { EpisodeOutcome } from "./episode.ts";
import { runEpisode, type EpisodeEnvironment, type EpisodeSpec } from "./orchestrator.ts";

export const AGENT_RETRY_TEMPERATURES = [0, 0, 0.4, 0.7, 1.0] as const;
export const MAX_EPISODE_ATTEMPTS = AGENT_RETRY_TEMPERATURES.length;

/**
 * LLM-cache samples of attempt k are the episode's sample + k·stride: an attempt repeated at the same
 * temperature (attempts 0 and 1) is asked anew instead of replayed, and no plan is large enough for two
 * episodes' attempts to share a key. Attempt 0 keeps the episode's own sample (archives replay as before).
 */
export const ATTEMPT_SAMPLE_STRIDE = 1 << 24;

export interface AttemptOptions {
  /** The agent role's own temperature: attempts never go below it (0 by default, as the reference). */
  baseTemperature?: number;
  attempts?: number;
}

/** An episode spec whose environment is made fresh for each attempt (a failed attempt may have written). */
export type AttemptSpec = Omit<EpisodeSpec, "agentTemperature" | "env"> & { env: () => EpisodeEnvironment };

export async function runEpisodeAttempts(spec: AttemptSpec, opts: AttemptOptions = {}): Promise<EpisodeOutcome & { retries: EpisodeRetry[] }> {
  const attempts = Math.max(1, Math.min(opts.attempts ?? MAX_EPISODE_ATTEMPTS, MAX_EPISODE_ATTEMPTS));
  const retries: EpisodeRetry[] = [];
  const spent = { calls: 0, promptTokens: 0, completionTokens: 0, ms: 0 };
  for (let attempt = 0; ; attempt++) {
    const agentTemperature = Math.max(opts.baseTemperature ?? 0, AGENT_RETRY_TEMPERATURES[attempt]!);
    const sample = spec.sample === undefined ? undefined : spec.sample + attempt * ATTEMPT_SAMPLE_STRIDE;
    const outcome = await runEpisode({ ...spec, env: spec.env(), agentTemperature, sample });
    // The episode's cost is every attempt's.
    const usage = { calls: spent.calls + outcome.usage.calls, promptTokens: spent.promptTokens + outcome.usage.promptTokens, completionTokens: spent.completionTokens + outcome.usage.completionTokens };
    const ms = spent.ms + outcome.ms;
    if (!outcome.unparseable || attempt + 1 >= attempts) return { ...outcome, usage, ms, retries: outcome.unparseable ? [...retries, retryOf(outcome, attempt, agentTemperature)] : retries };
    retries.push(retryOf(outcome, attempt, agentTemperature));
    Object.assign(spent, usage, { ms });
  }
}

function retryOf(outcome: EpisodeOutcome, attempt: number, agentTemperature: number): EpisodeRetry {
  return { attempt, agent_temperature: agentTemperature, ...outcome.unparseable!, steps: outcome.steps, llm_calls: outcome.usage.calls };
}
