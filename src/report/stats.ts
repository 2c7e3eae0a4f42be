/**
 * Statistics for reports, pure over plain numbers: means, quantiles, and 95% confidence intervals.
 * Benchmark numbers are aggregated over episodes but episodes of one task are not independent, so the
 * interval comes from a seeded bootstrap over TASKS: resample tasks with replacement, recompute the whole
 * statistic on the resample, take the percentile interval. The RNG is passed in, so a report is reproducible.
 */
import { jStat } from "jstat";
import { z } from "zod";
import type { Rng } from "../rng.ts";

/** A point estimate with its interval; null where there was nothing to estimate (no tasks, no rewards). */
export const Estimate = z.object({
  value: z.number().nullable(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** Tasks (bootstrap units) behind the estimate. */
  n: z.int().nonnegative(),
});
export type Estimate = z.infer<typeof Estimate>;

export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_LEVEL = 0.95;

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export interface BootstrapOptions {
  rng: Rng;
  /** Bootstrap replicates (default 1000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

/**
 * Percentile-bootstrap interval of `statistic` over `groups` (one group per task, holding whatever the
 * statistic needs). Replicates where the statistic is undefined (NaN) are dropped; with one group the
 * interval collapses to the value.
 */
export function bootstrapCi<G>(groups: readonly G[], statistic: (sample: readonly G[]) => number, opts: BootstrapOptions): Estimate {
  return bootstrapCis(groups, (sample) => [statistic(sample)], opts)[0] ?? { value: null, lo: null, hi: null, n: groups.length };
}

/**
 * The same for a vector statistic, every component on the same resamples (e.g. pass^1..k at once). The
 * length of the result is that of the statistic on the full data.
 */
export function bootstrapCis<G>(groups: readonly G[], statistic: (sample: readonly G[]) => readonly number[], opts: BootstrapOptions): Estimate[] {
  const n = groups.length;
  const values = n ? statistic(groups) : [Number.NaN];
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const alpha = 1 - (opts.level ?? DEFAULT_LEVEL);
  const replicates = values.map((): number[] => []);
  const sample = new Array<G>(n);
  if (values.some(Number.isFinite))
    for (let b = 0; b < resamples; b++) {
      for (let i = 0; i < n; i++) sample[i] = groups[opts.rng.int(n)]!;
      const s = statistic(sample);
      values.forEach((_, j) => Number.isFinite(s[j]) && replicates[j]!.push(s[j]!));
    }
  return values.map((value, j) => {
    if (!Number.isFinite(value)) return { value: null, lo: null, hi: null, n };
    const r = replicates[j]!.sort((a, b) => a - b);
    return { value, lo: finite(quantile(r, alpha / 2)), hi: finite(quantile(r, 1 - alpha / 2)), n };
  });
}

/** Mean over all values of all tasks, with a task-bootstrap interval. */
export function bootstrapMean(valuesByTask: readonly (readonly number[])[], opts: BootstrapOptions): Estimate {
  return bootstrapCi(valuesByTask.filter((v) => v.length > 0), (tasks) => meanOfGroups(tasks), opts);
}

function meanOfGroups(groups: readonly (readonly number[])[]): number {
  let s = 0;
  let n = 0;
  for (const g of groups) for (const x of g) (s += x), n++;
  return n ? s / n : Number.NaN;
}

/** Student-t interval of a mean of independent values (e.g. per-task means); `n` counts the values. */
export function tInterval(values: readonly number[], level = DEFAULT_LEVEL): Estimate {
  const n = values.length;
  const m = mean(values);
  if (n === 0) return { value: null, lo: null, hi: null, n };
  if (n === 1) return { value: m, lo: m, hi: m, n };
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
  const half = jStat.studentt.inv(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { value: m, lo: m - half, hi: m + half, n };
}
