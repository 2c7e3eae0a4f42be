/**
 * A small random forest of CART trees for two classes, with the semantics of scikit-learn's
 * RandomForestClassifier that the method's reference uses: bootstrap samples (n draws with replacement),
 * Gini impurity, `max_features = floor(sqrt(n_features))` features drawn per split (a constant one counts as
 * drawn; drawing continues only while none was usable), thresholds at midpoints between distinct values, min 1 sample per leaf,
 * class_weight "balanced" (w_c = n / (2·n_c) on the whole training set, multiplied by bootstrap counts),
 * and P(class 1) = mean over trees of the leaf's weighted class-1 fraction. Random draws come from our
 * seeded PRNG, so results are deterministic per seed but not bit-identical to scikit-learn.
 * Written here because ml-random-forest has no class weights and samples features per tree, not per split.
 */
import { z } from "zod";
import { createRng, type Rng } from "./rng.ts";

export const ForestOptions = z.object({
  nTrees: z.int().positive().default(200),
  maxDepth: z.int().positive().default(12),
  seed: z.int().nonnegative().default(42),
  classWeight: z.enum(["balanced", "none"]).default("balanced"),
  bootstrap: z.boolean().default(true),
});
export type ForestOptions = z.infer<typeof ForestOptions>;

/** A tree as flat arrays (compact JSON): feature -1 marks a leaf whose p is P(class 1). */
export const Tree = z.object({
  feature: z.array(z.int()),
  threshold: z.array(z.number()),
  left: z.array(z.int()),
  right: z.array(z.int()),
  p: z.array(z.number()),
});
export type Tree = z.infer<typeof Tree>;
export const Forest = z.object({ nFeatures: z.int().positive(), options: ForestOptions, trees: z.array(Tree).min(1) });
export type Forest = z.infer<typeof Forest>;

const EPS = 1e-7; // sklearn's FEATURE_THRESHOLD / impurity epsilon

export function fitForest(X: readonly (readonly number[])[], y: readonly number[], options: Partial<ForestOptions> = {}): Forest {
  const opts = ForestOptions.parse(options);
  const n = X.length;
  const d = X[0]?.length ?? 0;
  if (n === 0 || d === 0 || y.length !== n) throw new Error("fitForest: need a non-empty matrix and one label per row");
  const cols = Array.from({ length: d }, (_, f) => Float64Array.from(X, (row) => row[f]!));
  const n1 = y.filter((v) => v === 1).length;
  const classW = opts.classWeight === "balanced" ? [n / (2 * Math.max(1, n - n1)), n / (2 * Math.max(1, n1))] : [1, 1];
  const rng = createRng(opts.seed);
  const trees: Tree[] = [];
  for (let t = 0; t < opts.nTrees; t++) {
    const treeRng = createRng(rng.uint32());
    const counts = new Float64Array(n);
    if (opts.bootstrap) for (let k = 0; k < n; k++) counts[treeRng.int(n)]! += 1;
    else counts.fill(1);
    const w0 = new Float64Array(n);
    const w1 = new Float64Array(n);
    const idx: number[] = [];
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      idx.push(i);
      if (y[i] === 1) w1[i] = counts[i]! * classW[1]!;
      else w0[i] = counts[i]! * classW[0]!;
    }
    trees.push(growTree(cols, w0, w1, Uint32Array.from(idx), opts.maxDepth, Math.max(1, Math.floor(Math.sqrt(d))), treeRng));
  }
  return { nFeatures: d, options: opts, trees };
}

function growTree(cols: Float64Array[], w0: Float64Array, w1: Float64Array, idx: Uint32Array, maxDepth: number, maxFeatures: number, rng: Rng): Tree {
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], p: [] };
  const d = cols.length;
  const features = Array.from({ length: d }, (_, f) => f);
  const newNode = () => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.p.push(0);
    return tree.feature.length - 1;
  };
  // Iterative build: stack of [node, start, end, depth] over the shared index array.
  const root = newNode();
  const stack: [number, number, number, number][] = [[root, 0, idx.length, 0]];
  while (stack.length) {
    const [node, start, end, depth] = stack.pop()!;
    let W0 = 0;
    let W1 = 0;
    for (let k = start; k < end; k++) {
      W0 += w0[idx[k]!]!;
      W1 += w1[idx[k]!]!;
    }
    const W = W0 + W1;
    tree.p[node] = W > 0 ? W1 / W : 0;
    const impurity = W > 0 ? 1 - (W0 / W) ** 2 - (W1 / W) ** 2 : 0;
    if (depth >= maxDepth || end - start < 2 || impurity <= EPS) continue;

    let best = { score: -Infinity, feature: -1, threshold: 0 };
    // Draw features without replacement (partial Fisher–Yates). As in sklearn, every draw counts
    // toward max_features, constant ones included, but drawing goes on until one is non-constant.
    let visited = 0;
    let nonConstant = 0;
    for (let k = 0; k < d; k++) {
      if (visited >= maxFeatures && nonConstant > 0) break;
      visited++;
      const j = k + rng.int(d - k);
      [features[k], features[j]] = [features[j]!, features[k]!];
      const col = cols[features[k]!]!;
      const slice = idx.subarray(start, end);
      slice.sort((a, b) => col[a]! - col[b]!);
      if (col[slice[slice.length - 1]!]! <= col[slice[0]!]! + EPS) continue;
      nonConstant++;
      let L0 = 0;
      let L1 = 0;
      for (let m = 0; m < slice.length - 1; m++) {
        L0 += w0[slice[m]!]!;
        L1 += w1[slice[m]!]!;
        const v = col[slice[m]!]!;
        const next = col[slice[m + 1]!]!;
        if (next <= v + EPS) continue;
        const WL = L0 + L1;
        const WR = W - WL;
        const R0 = W0 - L0;
        const R1 = W1 - L1;
        // Maximising this equals minimising the weighted Gini of the children (sklearn's proxy).
        const score = (WL > 0 ? (L0 * L0 + L1 * L1) / WL : 0) + (WR > 0 ? (R0 * R0 + R1 * R1) / WR : 0);
        if (score > best.score + 1e-12) {
          let threshold = (v + next) / 2;
          if (threshold === next || !Number.isFinite(threshold)) threshold = v;
          best = { score, feature: features[k]!, threshold };
        }
      }
    }
    if (best.feature < 0) continue;
    const col = cols[best.feature]!;
    // Partition [start, end) into ≤ threshold | > threshold.
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      if (col[idx[lo]!]! <= best.threshold) lo++;
      else {
        [idx[lo], idx[hi]] = [idx[hi]!, idx[lo]!];
        hi--;
      }
    }
    const l = newNode();
    const r = newNode();
    tree.feature[node] = best.feature;
    tree.threshold[node] = best.threshold;
    tree.left[node] = l;
    tree.right[node] = r;
    stack.push([r, lo, end, depth + 1], [l, start, lo, depth + 1]);
  }
  return tree;
}

export function predictTree(tree: Tree, x: readonly number[]): number {
  let node = 0;
  while (tree.feature[node]! >= 0) node = x[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return tree.p[node]!;
}

/** P(class 1): the mean of the trees' leaf probabilities. */
export function predictProba(forest: Forest, x: readonly number[]): number {
  let s = 0;
  for (const t of forest.trees) s += predictTree(t, x);
  return s / forest.trees.length;
}
