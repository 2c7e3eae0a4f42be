import { describe, expect, test } from "bun:test";
import { createRng } from "../../src/rng.ts";
import {
  applyScaler, DiscriminatorModel, type Features, fitForest, fitScaler, Forest, fromVector, pHuman, predictProba, rocAuc,
  stratifiedFolds, trainDiscriminator, zeroFeatures,
} from "../../src/fitness/index.ts";
import { InputError } from "../../src/errors.ts";

/** Two Gaussian-ish blobs in 19-D, separated along the first features by `gap`. */
function blobs(n: number, gap: number, seed: number): { human: Features[]; sim: Features[] } {
  const rng = createRng(seed);
  const point = (shift: number) => fromVector(Array.from({ length: 19 }, (_, j) => (j < 3 ? shift : 0) + rng.next()));
  return { human: Array.from({ length: n }, () => point(gap)), sim: Array.from({ length: n }, () => point(0)) };
}
const prov = { cue_version: "ref-d49b1e0", preparation: "reference" as const, normalization: "none" as const, human: { name: "h", n: 0, hash: "x" }, simulator: { name: "s", n: 0, hash: "y" }, models: {} };

describe("scaler", () => {
  test("population std; constant feature gets scale 1", () => {
    // column 0: 1, 3 → mean 2, population std 1; column 1 constant 5 → scale 1
    const s = fitScaler([[1, 5], [3, 5]]);
    expect(s.mean).toEqual([2, 5]);
    expect(s.scale).toEqual([1, 1]);
    expect(applyScaler(s, [3, 5])).toEqual([1, 0]);
    // column with values 0, 0, 6: mean 2, pop var (4+4+16)/3 = 8 → std √8
    expect(fitScaler([[0], [0], [6]]).scale[0]).toBeCloseTo(Math.sqrt(8), 12);
  });
});

describe("ROC-AUC and folds", () => {
  test("AUC counts ties as one half", () => {
    // positives 0.5, 0.9; negatives 0.5, 0.1 → pairs: tie ½, 1, 1, 1 → 3.5/4
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.1])).toBe(0.875);
    expect(rocAuc([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow();
  });

  test("stratified folds like StratifiedKFold(shuffle=False)", () => {
    // y sorted = 0 0 1 1 1; dealt round-robin to 2 folds: fold0 gets {0,1,1}, fold1 {0,1};
    // class 0 rows (3, 4) → folds 0, 1; class 1 rows (0, 1, 2) → folds 0, 0, 1
    expect(stratifiedFolds([1, 1, 1, 0, 0], 2)).toEqual([0, 0, 1, 0, 1]);
    const folds = stratifiedFolds([...Array(10).fill(1), ...Array(5).fill(0)], 5);
    for (let k = 0; k < 5; k++) {
      expect(folds.slice(0, 10).filter((f) => f === k)).toHaveLength(2);
      expect(folds.slice(10).filter((f) => f === k)).toHaveLength(1);
    }
  });
});

describe("random forest", () => {
  const { human, sim } = blobs(60, 3, 1);
  const X = [...human, ...sim].map((f) => Object.values(f));
  const y = [...human.map(() => 1), ...sim.map(() => 0)];

  test("deterministic with the seed, different with another seed", () => {
    const a = fitForest(X, y, { nTrees: 20, seed: 42 });
    const b = fitForest(X, y, { nTrees: 20, seed: 42 });
    const c = fitForest(X, y, { nTrees: 20, seed: 7 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  test("separates separable data and respects max depth", () => {
    const forest = fitForest(X, y, { nTrees: 30, maxDepth: 3 });
    const depth = (t: Forest["trees"][number], node = 0): number => (t.feature[node]! < 0 ? 0 : 1 + Math.max(depth(t, t.left[node]!), depth(t, t.right[node]!)));
    for (const t of forest.trees) expect(depth(t)).toBeLessThanOrEqual(3);
    expect(predictProba(forest, Array(19).fill(3.5).map((v, j) => (j < 3 ? v : 0.5)))).toBeGreaterThan(0.9);
    expect(predictProba(forest, Array(19).fill(0.5))).toBeLessThan(0.1);
  });

  test("constant features count as drawn (sklearn): a weaker feature sometimes wins the root", () => {
    // 19 features, 17 constant; feature 0 separates perfectly, feature 1 only half. With 4 draws per split
    // both are seen only when both are drawn, so some roots split on feature 1. Skipping constants
    // without counting them would always see both and always pick feature 0.
    const Xs = Array.from({ length: 40 }, (_, i) => Array.from({ length: 19 }, (_, j) => (j === 0 ? (i < 20 ? 1 : 0) : j === 1 ? (i < 10 || i >= 30 ? 1 : 0) : 0)));
    const ys = Xs.map((_, i) => (i < 20 ? 1 : 0));
    const forest = fitForest(Xs, ys, { nTrees: 100, maxDepth: 1, bootstrap: false });
    const roots = forest.trees.map((t) => t.feature[0]);
    expect(roots.filter((f) => f === 1).length).toBeGreaterThan(10);
    expect(roots.filter((f) => f === 0).length).toBeGreaterThan(10);
    expect(roots.every((f) => f === 0 || f === 1)).toBe(true);
  });

  test("balanced class weights: a depth-0 forest predicts 0.5 on imbalanced data, unweighted predicts the prior", () => {
    const Xi = [[0], [0], [0], [1]];
    const yi = [1, 0, 0, 0];
    const noBoot = { nTrees: 1, maxDepth: 1, bootstrap: false };
    // Balanced: w1 = 4/(2·1) = 2, w0 = 4/(2·3) = 2/3 → total weights 2 vs 2 at the root.
    const stump = fitForest(Xi, yi, { ...noBoot, classWeight: "balanced" });
    // The root splits at 0.5: left {0,0,0} holds weights 2 (class 1) vs 4/3 (class 0) → 0.6
    expect(predictProba(stump, [0])).toBeCloseTo(2 / (2 + 4 / 3), 12);
    const plain = fitForest(Xi, yi, { ...noBoot, classWeight: "none" });
    expect(predictProba(plain, [0])).toBeCloseTo(1 / 3, 12);
  });
});

describe("discriminator", () => {
  test("CV AUC near 1 on separable data, near 0.5 on identical classes; JSON round trip keeps predictions", () => {
    const easy = blobs(40, 5, 2);
    const { model, weak } = trainDiscriminator(easy.human, easy.sim, prov, { nTrees: 40 });
    expect(model.cv.folds).toBe(5);
    expect(model.cv.mean).toBeGreaterThan(0.95);
    expect(weak).toBe(false);
    const back = DiscriminatorModel.parse(JSON.parse(JSON.stringify(model)));
    expect(pHuman(back, easy.human[0]!)).toBe(pHuman(model, easy.human[0]!));
    expect(model.provenance).toMatchObject({ cue_version: "ref-d49b1e0", preparation: "reference" }); // as stated by the caller

    const same = blobs(40, 0, 3);
    const hard = trainDiscriminator(same.human, same.sim, prov, { nTrees: 40 });
    expect(hard.model.cv.mean).toBeLessThan(0.75);
    expect(hard.weak).toBe(hard.model.cv.mean < 0.7);
  });

  test("fewer than 2 conversations in a class is a clear InputError; folds shrink to the smaller class", () => {
    expect(() => trainDiscriminator([zeroFeatures()], [zeroFeatures(), zeroFeatures()], prov)).toThrow(InputError);
    const small = blobs(3, 5, 4);
    const { model } = trainDiscriminator(small.human, small.sim, prov, { nTrees: 10 });
    expect(model.cv.folds).toBe(3);
    for (const a of model.cv.aucs) expect(Number.isFinite(a)).toBe(true);
  });

  test("all-identical fingerprints train without NaN (constant features)", () => {
    const z = Array.from({ length: 4 }, zeroFeatures);
    const { model } = trainDiscriminator(z, z, prov, { nTrees: 5 });
    expect(model.cv.mean).toBe(0.5);
    // Every tree is a single leaf: its bootstrap sample's weighted class-1 share, so near ½ but not exactly.
    const p = pHuman(model, zeroFeatures());
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.8);
    for (const t of model.forest.trees) expect(t.feature).toEqual([-1]);
    // NaN/Infinity would serialise as null
    for (const part of [model.forest, model.cv, model.scaler]) expect(JSON.stringify(part)).not.toContain("null");
  });
});
