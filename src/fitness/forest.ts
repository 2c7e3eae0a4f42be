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
import { createRng, type Rng } from "../rng.ts";

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
  // Rows sorted by each feature once per fit; every tree filters these to its bootstrap rows, so no
  // node ever sorts (ties may come in any order: only boundaries between distinct values are tried).
  const sorted = cols.map((col) => Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a]! - col[b]!));
  const rng = createRng(opts.seed);
  const trees: Tree[] = [];
  for (let t = 0; t < opts.nTrees; t++) {
    const treeRng = createRng(rng.uint32());
    const counts = new Float64Array(n);
    if (opts.bootstrap) for (let k = 0; k < n; k++) counts[treeRng.int(n)]! += 1;
    else counts.fill(1);
    const w0 = new Float64Array(n);
    const w1 = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] === 0) continue;
      m++;
      if (y[i] === 1) w1[i] = counts[i]! * classW[1]!;
      else w0[i] = counts[i]! * classW[0]!;
    }
    // order[f·m + k]: the k-th bootstrap row by feature f.
    const order = new Uint32Array(d * m);
    for (let f = 0; f < d; f++) {
      let k = f * m;
      for (const i of sorted[f]!) if (counts[i]! > 0) order[k++] = i;
    }
    trees.push(growTree(cols, w0, w1, order, m, opts.maxDepth, Math.max(1, Math.floor(Math.sqrt(d))), treeRng));
  }
  return { nFeatures: d, options: opts, trees };
}

function growTree(cols: Float64Array[], w0: Float64Array, w1: Float64Array, order: Uint32Array, m: number, maxDepth: number, maxFeatures: number, rng: Rng): Tree {
  const tree: Tree = { feature: [], threshold: [], left: [], right: [], p: [] };
  const d = cols.length;
  const features = Array.from({ length: d }, (_, f) => f);
  const goesLeft = new Uint8Array(cols[0]!.length);
  const buffer = new Uint32Array(m);
  const newNode = () => {
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.p.push(0);
    return tree.feature.length - 1;
  };
  // Iterative build: stack of [node, start, end, depth]; a node owns [start, end) of every feature's order.
  const root = newNode();
  const stack: [number, number, number, number][] = [[root, 0, m, 0]];
  while (stack.length) {
    const [node, start, end, depth] = stack.pop()!;
    let W0 = 0;
    let W1 = 0;
    for (let k = start; k < end; k++) {
      W0 += w0[order[k]!]!;
      W1 += w1[order[k]!]!;
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
      const f = features[k]!;
      const col = cols[f]!;
      const base = f * m;
      if (col[order[base + end - 1]!]! <= col[order[base + start]!]! + EPS) continue;
      nonConstant++;
      let L0 = 0;
      let L1 = 0;
      for (let q = base + start; q < base + end - 1; q++) {
        const i = order[q]!;
        L0 += w0[i]!;
        L1 += w1[i]!;
        const v = col[i]!;
        const next = col[order[q + 1]!]!;
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
          best = { score, feature: f, threshold };
        }
      }
    }
    if (best.feature < 0) continue;
    const col = cols[best.feature]!;
    let nLeft = 0;
    for (let k = start; k < end; k++) {
      const i = order[k]!; // feature 0's segment holds the node's rows like every other
      goesLeft[i] = col[i]! <= best.threshold ? 1 : 0;
      nLeft += goesLeft[i]!;
    }
    // Stable partition of every feature's segment: left rows first, each side still sorted.
    for (let f = 0; f < d; f++) {
      const base = f * m;
      let l = base + start;
      let r = 0;
      for (let q = base + start; q < base + end; q++) {
        const i = order[q]!;
        if (goesLeft[i]) order[l++] = i;
        else buffer[r++] = i;
      }
      order.set(buffer.subarray(0, r), l);
    }
    const mid = start + nLeft;
    const left = newNode();
    const right = newNode();
    tree.feature[node] = best.feature;
    tree.threshold[node] = best.threshold;
    tree.left[node] = left;
    tree.right[node] = right;
    stack.push([right, mid, end, depth + 1], [left, start, mid, depth + 1]);
  }
  return tree;
}

function predictTree(tree: Tree, x: readonly number[]): number {
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
