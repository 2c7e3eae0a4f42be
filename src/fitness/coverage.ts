/**
 * Coverage (ppol-method §4.3): two-sided Chamfer distance between one task's persona fingerprints P and
 * the human cloud H, normalised by the mean pairwise human distance:
 *   err = mean_h min_p ‖h−p‖ + mean_p min_h ‖p−h‖;  score = max(0, 1 − min(1, err / (2·d_ref))).
 * Space: "raw" 19-D features (τ² runs) or "z" (z-scored by the human reference's mean and population
 * std, a std below 1e-9 counting as 1). Documented edge values, never NaN: d_ref is 1 when H has fewer
 * than 2 points or its mean pairwise distance is ≤ 1e-9; the score is 0 for an empty P or H.
 */
import { createRng, type Rng } from "../rng.ts";

export type Space = "raw" | "z";
export type Matrix = readonly (readonly number[])[];

export function distance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** Rows packed into one Float64Array (row-major), for the O(n²) loops below. */
function pack(X: Matrix): { data: Float64Array; n: number; d: number } {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const data = new Float64Array(n * d);
  X.forEach((row, i) => data.set(row, i * d));
  return { data, n, d };
}

export function meanPairwiseDistance(H: Matrix): number {
  if (H.length < 2) return 1;
  const { data, n, d } = pack(H);
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let q = 0;
      for (let k = 0; k < d; k++) {
        const diff = data[i * d + k]! - data[j * d + k]!;
        q += diff * diff;
      }
      s += Math.sqrt(q);
    }
  }
  const mean = s / ((n * (n - 1)) / 2);
  return mean > 1e-9 ? mean : 1;
}

export function chamferError(P: Matrix, H: Matrix): number {
  const p = pack(P);
  const h = pack(H);
  const d = p.d;
  const minP = new Float64Array(p.n).fill(Infinity);
  let humanSide = 0;
  for (let i = 0; i < h.n; i++) {
    let best = Infinity;
    for (let j = 0; j < p.n; j++) {
      let q = 0;
      for (let k = 0; k < d; k++) {
        const diff = h.data[i * d + k]! - p.data[j * d + k]!;
        q += diff * diff;
      }
      if (q < best) best = q;
      if (q < minP[j]!) minP[j] = q;
    }
    humanSide += Math.sqrt(best);
  }
  let personaSide = 0;
  for (let j = 0; j < p.n; j++) personaSide += Math.sqrt(minP[j]!);
  return humanSide / h.n + personaSide / p.n;
}

export function coverageScore(P: Matrix, H: Matrix, dRef: number): number {
  if (P.length === 0 || H.length === 0 || !(dRef > 0)) return 0;
  return Math.max(0, 1 - Math.min(1, chamferError(P, H) / (2 * dRef)));
}

export interface ZParams {
  mean: number[];
  sd: number[];
}

export function zParams(H: Matrix): ZParams {
  const d = H[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => H.reduce((s, r) => s + r[j]!, 0) / Math.max(1, H.length));
  const sd = mean.map((m, j) => {
    const v = Math.sqrt(H.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / Math.max(1, H.length));
    return v < 1e-9 ? 1 : v;
  });
  return { mean, sd };
}

export function zTransform(X: Matrix, z: ZParams): number[][] {
  return X.map((x) => x.map((v, j) => (v - z.mean[j]!) / z.sd[j]!));
}

/**
 * The reference cloud for coverage, prepared once per batch: z-scoring (by `standardizeBy`, default H
 * itself), optional reduction to K k-means centroids, and d_ref on the prepared cloud.
 */
export interface HumanCloud {
  points: number[][];
  dRef: number;
  z?: ZParams;
}

export function prepareCloud(H: Matrix, opts: { space: Space; clusters?: number; seed?: number; standardizeBy?: Matrix }): HumanCloud {
  const z = opts.space === "z" ? zParams(opts.standardizeBy ?? H) : undefined;
  let points = z ? zTransform(H, z) : H.map((r) => [...r]);
  if (opts.clusters && opts.clusters > 0 && opts.clusters < points.length) points = kMeans(points, opts.clusters, createRng(opts.seed ?? 0)).centroids;
  return { points, dRef: meanPairwiseDistance(points), ...(z ? { z } : {}) };
}

/** Coverage of one task's persona fingerprints (raw vectors; z-scored here when the cloud is). */
export function taskCoverage(P: Matrix, cloud: HumanCloud): number {
  return coverageScore(cloud.z ? zTransform(P, cloud.z) : P, cloud.points, cloud.dRef);
}

/** Lloyd's k-means with k-means++ seeding, best of `restarts` by inertia; deterministic per RNG. */
export function kMeans(X: Matrix, k: number, rng: Rng, restarts = 10, maxIter = 300): { centroids: number[][]; inertia: number } {
  let best: { centroids: number[][]; inertia: number } | undefined;
  for (let r = 0; r < restarts; r++) {
    const centroids = seedPlusPlus(X, k, rng);
    const assign = new Int32Array(X.length).fill(-1);
    let inertia = 0;
    for (let it = 0; it < maxIter; it++) {
      let changed = false;
      inertia = 0;
      X.forEach((x, i) => {
        let bj = 0;
        let bd = Infinity;
        centroids.forEach((c, j) => {
          const dd = distance(x, c) ** 2;
          if (dd < bd) [bd, bj] = [dd, j];
        });
        inertia += bd;
        if (assign[i] !== bj) [assign[i], changed] = [bj, true];
      });
      if (!changed) break;
      for (let j = 0; j < k; j++) {
        const members = X.filter((_, i) => assign[i] === j);
        if (members.length) centroids[j] = members[0]!.map((_, f) => members.reduce((s, m) => s + m[f]!, 0) / members.length);
      }
    }
    if (!best || inertia < best.inertia) best = { centroids: centroids.map((c) => [...c]), inertia };
  }
  return best!;
}

function seedPlusPlus(X: Matrix, k: number, rng: Rng): number[][] {
  const centroids = [[...X[rng.int(X.length)]!]];
  const d2 = X.map((x) => distance(x, centroids[0]!) ** 2);
  while (centroids.length < k) {
    const total = d2.reduce((a, b) => a + b, 0);
    let pick = 0;
    if (total > 0) {
      let u = rng.next() * total;
      while (pick < X.length - 1 && u >= d2[pick]!) u -= d2[pick++]!;
    } else pick = rng.int(X.length);
    centroids.push([...X[pick]!]);
    X.forEach((x, i) => (d2[i] = Math.min(d2[i]!, distance(x, centroids.at(-1)!) ** 2)));
  }
  return centroids;
}
