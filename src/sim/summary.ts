import { passHatK as passHatKOf } from "../tau2/index.ts";

/** Summary statistics of a set of episodes, as τ² reports them, plus ppol's fidelity rate. Pure. */
export interface EpisodeSummaryInput {
  task_id: string;
  /** "" = base simulator (no persona). */
  persona_key?: string;
  /** null when a basis component was not evaluated or the evaluation failed. */
  reward: number | null;
  termination: string;
  /** Left out: scored (the default), not evaluated (no judge), or failed (redone by --resume). */
  evaluation?: "evaluated" | "not_evaluated" | "failed";
  user_turns: number;
  fidelity_flags: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export interface RunSummary {
  episodes: number;
  /**
   * Episodes left out of rewards: infrastructure errors (as τ² does), rewards nobody could evaluate (no
   * judge), evaluations that failed (e.g. the judge's call; redone by --resume), and episodes whose
   * agent/user output stayed unparseable through every attempt (τ² and the PPol reference drop them).
   */
  excluded: { infrastructure_error: number; not_evaluated: number; evaluation_failed: number; unparseable: number };
  tasks: number;
  avg_reward: number;
  /** pass^k for k = 1..fewest trials of any task (τ²'s definition, see tau2 passHatK). */
  pass_hat_k: Record<string, number>;
  avg_user_turns: number;
  terminations: Record<string, number>;
  /** Share of episodes with at least one goal-fidelity flag. */
  fidelity_flag_rate: number;
  /** The same per persona ("base" = no persona), to spot personas that drift from the task. */
  fidelity_by_persona: Record<string, { episodes: number; flag_rate: number }>;
  tokens: { prompt: number; completion: number };
}

/** τ² counts a reward as success when it is 1 within 1e-6. */
export const isSuccess = (reward: number) => Math.abs(reward - 1) <= 1e-6;

/** Terminations of episodes that never produced a scoreable conversation. */
const UNPARSEABLE = new Set(["agent_error", "user_error"]);
const dropped = (e: EpisodeSummaryInput) => e.termination === "infrastructure_error" || UNPARSEABLE.has(e.termination);
const failed = (e: EpisodeSummaryInput) => !dropped(e) && e.evaluation === "failed";

export function summarize(all: readonly EpisodeSummaryInput[]): RunSummary {
  const infrastructure = all.filter((e) => e.termination === "infrastructure_error").length;
  const unparseable = all.filter((e) => UNPARSEABLE.has(e.termination)).length;
  const evaluationFailed = all.filter(failed).length;
  const notEvaluated = all.filter((e) => !dropped(e) && !failed(e) && e.reward === null).length;
  const episodes = all.filter((e) => !dropped(e) && !failed(e) && e.reward !== null) as (EpisodeSummaryInput & { reward: number })[];
  const byTask = new Map<string, (EpisodeSummaryInput & { reward: number })[]>();
  for (const e of episodes) (byTask.get(e.task_id) ?? byTask.set(e.task_id, []).get(e.task_id)!).push(e);
  const passHatK = Object.fromEntries(passHatKOf(episodes.map((e) => ({ taskId: e.task_id, success: isSuccess(e.reward) }))).map((p) => [String(p.k), p.value]));
  const terminations: Record<string, number> = {};
  for (const e of all) terminations[e.termination] = (terminations[e.termination] ?? 0) + 1;
  const n = episodes.length;
  const mean = (f: (e: EpisodeSummaryInput & { reward: number }) => number) => (n ? episodes.reduce((s, e) => s + f(e), 0) / n : 0);
  return {
    episodes: all.length,
    excluded: { infrastructure_error: infrastructure, not_evaluated: notEvaluated, evaluation_failed: evaluationFailed, unparseable },
    tasks: byTask.size,
    avg_reward: mean((e) => e.reward),
    pass_hat_k: passHatK,
    avg_user_turns: mean((e) => e.user_turns),
    terminations,
    fidelity_flag_rate: all.length ? all.filter((e) => e.fidelity_flags > 0).length / all.length : 0,
    fidelity_by_persona: fidelityByPersona(all),
    tokens: { prompt: all.reduce((s, e) => s + e.prompt_tokens, 0), completion: all.reduce((s, e) => s + e.completion_tokens, 0) },
  };
}

function fidelityByPersona(all: readonly EpisodeSummaryInput[]): Record<string, { episodes: number; flag_rate: number }> {
  const groups = new Map<string, { episodes: number; flagged: number }>();
  for (const e of all) {
    const key = e.persona_key || "base";
    const g = groups.get(key) ?? groups.set(key, { episodes: 0, flagged: 0 }).get(key)!;
    g.episodes++;
    if (e.fidelity_flags > 0) g.flagged++;
  }
  return Object.fromEntries([...groups].map(([k, g]) => [k, { episodes: g.episodes, flag_rate: g.flagged / g.episodes }]));
}
