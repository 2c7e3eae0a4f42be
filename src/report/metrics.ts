/**
 * Per-condition benchmark metrics with task-bootstrap intervals (pure). Episodes are first folded into one
 * small aggregate per task (sums and counts), so each bootstrap replicate costs O(tasks), not O(episodes):
 * 10,000 episodes × 1,000 replicates stay well under a second.
 *
 * pass^k is τ²'s (tau2 passHatK: k up to the fewest trials, each unit over its own count), with the unit
 * being one user of one task (task × persona), whose trials are the repeated attempts; all k share resamples.
 */
import { z } from "zod";
import { dice, DIMENSIONS, FEATURE_NAMES, type Features, toVector, VALIDATION_WEIGHTS, type Weights } from "../fitness/index.ts";
import type { Rng } from "../rng.ts";
import { passHatK } from "../tau2/index.ts";
import { bootstrapCi, bootstrapCis, Estimate } from "./stats.ts";

/** One episode's numbers as the report needs them; fitness fields are absent when it was not scored. */
export const EpisodeStats = z.object({
  task_id: z.string(),
  persona_key: z.string().default(""),
  trial: z.int().nonnegative().default(0),
  /** null: not evaluated (or a human conversation, which has no reward). */
  reward: z.number().nullable().default(null),
  termination: z.string().default("user_stop"),
  user_turns: z.int().nonnegative(),
  fidelity_flags: z.int().nonnegative().default(0),
  prompt_tokens: z.int().nonnegative().default(0),
  completion_tokens: z.int().nonnegative().default(0),
  /** Priced cost in USD; null when no price is known. */
  cost: z.number().nullable().default(null),
  p_human: z.number().optional(),
  /** The 19-feature fingerprint, in FEATURE_NAMES order. */
  features: z.array(z.number()).length(FEATURE_NAMES.length).optional(),
});
export type EpisodeStats = z.input<typeof EpisodeStats>;

export const ConditionMetrics = z.object({
  hl: Estimate,
  cov: Estimate,
  score: Estimate,
  d1: Estimate,
  d2: Estimate,
  d3: Estimate,
  d4: Estimate,
  usi: Estimate,
  fidelity_flag_rate: Estimate,
  reward: Estimate,
  pass_hat_k: z.record(z.string(), Estimate),
  user_turns: Estimate,
  /** Mean prompt + completion tokens per episode. */
  tokens: Estimate,
  /** Mean cost per episode (USD); null when unpriced. */
  cost: Estimate,
});
export type ConditionMetrics = z.infer<typeof ConditionMetrics>;

/** Sums and counts of one task's episodes: everything a replicate needs. */
export interface TaskAggregate {
  task_id: string;
  episodes: number;
  /** Episodes counted for rewards (not infrastructure errors, reward evaluated). */
  rewarded: number;
  rewardSum: number;
  flagged: number;
  userTurns: number;
  tokens: number;
  priced: number;
  costSum: number;
  scored: number;
  pHumanSum: number;
  featureSum: Float64Array;
  featured: number;
  /** Per user (persona) of the task: trials with a reward and successes among them. */
  units: { n: number; c: number }[];
  coverage: number | null;
}

/** τ² counts a reward as success when it is 1 within 1e-6. */
const success = (r: number) => Math.abs(r - 1) <= 1e-6;

export function aggregateTasks(episodes: readonly EpisodeStats[], coverageByTask?: ReadonlyMap<string, number>): TaskAggregate[] {
  const byTask = new Map<string, TaskAggregate>();
  const units = new Map<string, Map<string, { n: number; c: number }>>();
  for (const raw of episodes) {
    const e = EpisodeStats.parse(raw);
    let t = byTask.get(e.task_id);
    if (!t) {
      t = { task_id: e.task_id, episodes: 0, rewarded: 0, rewardSum: 0, flagged: 0, userTurns: 0, tokens: 0, priced: 0, costSum: 0, scored: 0, pHumanSum: 0, featureSum: new Float64Array(FEATURE_NAMES.length), featured: 0, units: [], coverage: coverageByTask?.get(e.task_id) ?? null };
      byTask.set(e.task_id, t);
      units.set(e.task_id, new Map());
    }
    t.episodes++;
    if (e.fidelity_flags > 0) t.flagged++;
    t.userTurns += e.user_turns;
    t.tokens += e.prompt_tokens + e.completion_tokens;
    if (e.cost !== null) (t.priced++, (t.costSum += e.cost));
    if (e.p_human !== undefined) (t.scored++, (t.pHumanSum += e.p_human));
    if (e.features) {
      t.featured++;
      e.features.forEach((v, j) => (t.featureSum[j]! += v));
    }
    if (e.reward !== null && e.termination !== "infrastructure_error") {
      t.rewarded++;
      t.rewardSum += e.reward;
      const u = units.get(e.task_id)!;
      const unit = u.get(e.persona_key) ?? u.set(e.persona_key, { n: 0, c: 0 }).get(e.persona_key)!;
      unit.n++;
      if (success(e.reward)) unit.c++;
    }
  }
  for (const [id, t] of byTask) t.units = [...units.get(id)!.values()];
  return [...byTask.values()];
}

const ratio = (tasks: readonly TaskAggregate[], num: (t: TaskAggregate) => number, den: (t: TaskAggregate) => number) => {
  let a = 0;
  let b = 0;
  for (const t of tasks) (a += num(t)), (b += den(t));
  return b > 0 ? a / b : Number.NaN;
};

function meanCoverage(tasks: readonly TaskAggregate[]): number {
  let s = 0;
  let n = 0;
  for (const t of tasks) if (t.coverage !== null) (s += t.coverage), n++;
  return n ? s / n : Number.NaN;
}

/** pass^1..k of a resample; a task drawn twice counts as two tasks (its users get distinct keys). */
function passOf(tasks: readonly TaskAggregate[]): number[] {
  const trials: { taskId: string; success: boolean }[] = [];
  tasks.forEach((t, i) => t.units.forEach((u, j) => {
    for (let x = 0; x < u.n; x++) trials.push({ taskId: `${i}:${j}`, success: x < u.c });
  }));
  return passHatK(trials).map((p) => p.value);
}

/** Aggregate-first Dice of the resample's mean features against the human means, per dimension. */
function diceOf(tasks: readonly TaskAggregate[], humanMean: readonly number[], names: readonly string[]): number {
  let n = 0;
  const sum = new Float64Array(FEATURE_NAMES.length);
  for (const t of tasks) {
    n += t.featured;
    for (let j = 0; j < sum.length; j++) sum[j]! += t.featureSum[j]!;
  }
  if (n === 0) return Number.NaN;
  let d = 0;
  for (const name of names) {
    const j = (FEATURE_NAMES as readonly string[]).indexOf(name);
    d += dice(sum[j]! / n, humanMean[j]!);
  }
  return d / names.length;
}

export interface MetricsOptions {
  rng: Rng;
  resamples?: number;
  level?: number;
  /** λ_h, λ_c of Score (default 0.5/0.5, as for validation and benchmarks). */
  weights?: Weights;
  /** Human reference fingerprints for Dice D1–D4 (absent: Dice is null). */
  humans?: readonly Features[];
}

/** Every metric of one condition, each with its task-bootstrap interval. */
export function conditionMetrics(tasks: readonly TaskAggregate[], opts: MetricsOptions): ConditionMetrics {
  const ci = (statistic: (sample: readonly TaskAggregate[]) => number) => bootstrapCi(tasks, statistic, opts);
  const w = opts.weights ?? VALIDATION_WEIGHTS;
  const hl = (s: readonly TaskAggregate[]) => ratio(s, (t) => t.pHumanSum, (t) => t.scored);
  const humanMean = opts.humans?.length ? meanVector(opts.humans.map(toVector)) : undefined;
  const dim = (names: readonly string[]) => (humanMean ? ci((s) => diceOf(s, humanMean, names)) : empty(tasks.length));
  const pass = Object.fromEntries(bootstrapCis(tasks, passOf, opts).map((e, i) => [String(i + 1), e]));
  return {
    hl: ci(hl),
    cov: ci(meanCoverage),
    score: ci((s) => w.h * hl(s) + w.c * meanCoverage(s)),
    d1: dim(DIMENSIONS.D1),
    d2: dim(DIMENSIONS.D2),
    d3: dim(DIMENSIONS.D3),
    d4: dim(DIMENSIONS.D4),
    // USI = mean of D1–D4 (each dimension weighs the same, whatever its feature count).
    usi: humanMean ? ci((s) => [DIMENSIONS.D1, DIMENSIONS.D2, DIMENSIONS.D3, DIMENSIONS.D4].reduce((a, d) => a + diceOf(s, humanMean, d), 0) / 4) : empty(tasks.length),
    fidelity_flag_rate: ci((s) => ratio(s, (t) => t.flagged, (t) => t.episodes)),
    reward: ci((s) => ratio(s, (t) => t.rewardSum, (t) => t.rewarded)),
    pass_hat_k: pass,
    user_turns: ci((s) => ratio(s, (t) => t.userTurns, (t) => t.episodes)),
    tokens: ci((s) => ratio(s, (t) => t.tokens, (t) => t.episodes)),
    cost: ci((s) => ratio(s, (t) => t.costSum, (t) => t.priced)),
  };
}

const empty = (n: number): Estimate => ({ value: null, lo: null, hi: null, n });

function meanVector(rows: readonly number[][]): number[] {
  const m = new Array<number>(FEATURE_NAMES.length).fill(0);
  for (const r of rows) r.forEach((v, j) => (m[j]! += v / rows.length));
  return m;
}
