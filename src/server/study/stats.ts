/**
 * Study statistics, pure: a mean with its 95% t-interval, Welch's t-test (Welch–Satterthwaite degrees of
 * freedom, two-sided p), and Fleiss' κ. The t distribution comes from jstat.
 */
import { jStat } from "jstat";

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** Sample variance (n − 1). */
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

export interface MeanCi {
  n: number;
  mean: number | null;
  /** 95% t-interval clamped to [lo, hi] bounds given; null with fewer than two values. */
  low: number | null;
  high: number | null;
}

/** Mean and 95% confidence interval mean ± t(0.975, n−1)·s/√n, clamped to [min, max]. */
export function meanCi(xs: readonly number[], bounds: [number, number] = [-Infinity, Infinity]): MeanCi {
  if (!xs.length) return { n: 0, mean: null, low: null, high: null };
  const m = mean(xs);
  if (xs.length < 2) return { n: xs.length, mean: m, low: null, high: null };
  const half = jStat.studentt.inv(0.975, xs.length - 1) * Math.sqrt(variance(xs) / xs.length);
  return { n: xs.length, mean: m, low: Math.max(bounds[0], m - half), high: Math.min(bounds[1], m + half) };
}

export interface WelchResult {
  t: number;
  df: number;
  p: number;
}

/**
 * Welch's unequal-variance t-test of mean(a) − mean(b): t = Δ / √(va/na + vb/nb), df by
 * Welch–Satterthwaite, p two-sided. Undefined (null) with fewer than two values a side or no variance.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult | null {
  if (a.length < 2 || b.length < 2) return null;
  const sa = variance(a) / a.length;
  const sb = variance(b) / b.length;
  const se2 = sa + sb;
  if (!(se2 > 0)) return null;
  const t = (mean(a) - mean(b)) / Math.sqrt(se2);
  const df = se2 ** 2 / ((sa * sa) / (a.length - 1) + (sb * sb) / (b.length - 1));
  const p = 2 * (1 - jStat.studentt.cdf(Math.abs(t), df));
  return { t, df, p: Math.min(1, Math.max(0, p)) };
}

/**
 * Fleiss' κ by its definition, for items rated into categories by several raters. `counts[i][j]` is how
 * many raters put item i in category j. Items may have different numbers of raters; items with fewer
 * than two are left out (they carry no agreement). P_i = (Σ_j n_ij² − n_i) / (n_i (n_i − 1)),
 * P̄ = mean P_i, p_j = Σ_i n_ij / Σ_i n_i, P̄e = Σ_j p_j², κ = (P̄ − P̄e) / (1 − P̄e).
 * Null when no item has two ratings or when every rating is in one category (P̄e = 1).
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number | null {
  const rated = counts.filter((row) => row.reduce((s, x) => s + x, 0) >= 2);
  if (!rated.length) return null;
  const k = rated[0]!.length;
  let total = 0;
  const perCategory = new Array<number>(k).fill(0);
  const agreement = rated.map((row) => {
    const n = row.reduce((s, x) => s + x, 0);
    total += n;
    row.forEach((x, j) => (perCategory[j]! += x));
    return (row.reduce((s, x) => s + x * x, 0) - n) / (n * (n - 1));
  });
  const pBar = mean(agreement);
  const pe = perCategory.reduce((s, x) => s + (x / total) ** 2, 0);
  return pe >= 1 ? null : (pBar - pe) / (1 - pe);
}
