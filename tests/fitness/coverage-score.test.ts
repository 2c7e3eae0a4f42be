import { describe, expect, test } from "bun:test";
import { createRng } from "../../src/rng.ts";
import {
  chamferError, coverageScore, curriculumWeights, dice, diceByDimension, type Features, fromVector, kMeans, meanPairwiseDistance,
  prepareCloud, scoreFeatures, taskCoverage, trainDiscriminator, zeroFeatures, zParams,
} from "../../src/fitness/index.ts";
import { InputError } from "../../src/errors.ts";

describe("coverage", () => {
  test("two-sided Chamfer and its normalisation (hand example)", () => {
    // H = (0,0), (2,0); P = (1,0). Humans → nearest persona: 1, 1 (mean 1); persona → nearest human: 1. err = 2.
    // d_ref = |(0,0)-(2,0)| = 2 → score = 1 − min(1, 2 / (2·2)) = 0.5
    const H = [[0, 0], [2, 0]];
    const P = [[1, 0]];
    expect(chamferError(P, H)).toBe(2);
    expect(meanPairwiseDistance(H)).toBe(2);
    expect(coverageScore(P, H, 2)).toBe(0.5);
    // P on top of both humans → err 0 → 1; far away → clipped at 0
    expect(coverageScore(H, H, 2)).toBe(1);
    expect(coverageScore([[100, 0]], H, 2)).toBe(0);
  });

  test("documented edge values: one human → d_ref 1; identical humans → d_ref 1; empty → 0", () => {
    expect(meanPairwiseDistance([[3, 4]])).toBe(1);
    expect(meanPairwiseDistance([[1, 1], [1, 1]])).toBe(1);
    expect(coverageScore([], [[0]], 1)).toBe(0);
    expect(coverageScore([[0]], [], 1)).toBe(0);
    // one human at (3,4), persona at origin: err = 5 + 5 = 10, d_ref 1 → 0; persona on it → 1
    const cloud = prepareCloud([[3, 4]], { space: "raw" });
    expect(taskCoverage([[3, 4]], cloud)).toBe(1);
  });

  test("z space: humans standardised by their own mean and population std (sd 0 → 1), personas the same way", () => {
    // column 0: 0, 2 → mean 1, sd 1; column 1 constant 7 → sd 1
    const H = [[0, 7], [2, 7]];
    expect(zParams(H)).toEqual({ mean: [1, 7], sd: [1, 1] });
    const cloud = prepareCloud(H, { space: "z" });
    expect(cloud.points).toEqual([[-1, 0], [1, 0]]);
    expect(cloud.dRef).toBe(2);
    // persona (1,7) → z (0,0): same geometry as the hand example → 0.5
    expect(taskCoverage([[1, 7]], cloud)).toBe(0.5);
  });

  test("k-means reduction is deterministic per seed and finds obvious clusters", () => {
    const X = [[0, 0], [0, 0.1], [10, 10], [10, 10.1], [0.1, 0]];
    const a = kMeans(X, 2, createRng(1));
    const b = kMeans(X, 2, createRng(1));
    expect(a).toEqual(b);
    const centres = a.centroids.map((c) => Math.round(c[0]!)).sort((x, y) => x - y);
    expect(centres).toEqual([0, 10]);
    expect(prepareCloud(X, { space: "raw", clusters: 2, seed: 1 }).points).toHaveLength(2);
  });
});

describe("score", () => {
  test("Dice per scalar, and aggregate-first by dimension", () => {
    expect(dice(0, 0)).toBe(1);
    expect(dice(1, 3)).toBe(0.5); // 2·1/(1+3)
    expect(dice(-2, 2)).toBe(1); // on absolute values
    // episodes' mean words_per_turn = (2+4)/2 = 3 vs human 3 → 1; every other feature 0 vs 0 → 1
    const ep = (w: number): Features => ({ ...zeroFeatures(), words_per_turn: w });
    expect(diceByDimension([ep(2), ep(4)], [ep(3)])).toEqual({ D1: 1, D2: 1, D3: 1, D4: 1, usi: 1 });
    // human words_per_turn 1 vs episode mean 3: dice 0.5 → D1 = (0.5 + 7·1)/8
    expect(diceByDimension([ep(2), ep(4)], [ep(1)]).D1).toBe(7.5 / 8);
  });

  test("curriculum weights: λ_c = 0.5·N_now/N_final, λ_h = 1 − λ_c (0.75/0.25 → 0.60/0.40 → 0.50/0.50)", () => {
    // N = 5 → 8 → 10 of 10 personas per task; by hand: 0.5·5/10 = 0.25, 0.5·8/10 = 0.4, 0.5·10/10 = 0.5
    expect(curriculumWeights(5, 10)).toEqual({ h: 0.75, c: 0.25 });
    const mid = curriculumWeights(8, 10);
    expect(mid.c).toBeCloseTo(0.4, 15);
    expect(mid.h).toBeCloseTo(0.6, 15);
    expect(curriculumWeights(10, 10)).toEqual({ h: 0.5, c: 0.5 });
    // HL never loses more than half the weight: N beyond N_final is capped, N ≤ 0 gives HL alone
    expect(curriculumWeights(12, 10)).toEqual({ h: 0.5, c: 0.5 });
    expect(curriculumWeights(0, 10)).toEqual({ h: 1, c: 0 });
  });

  test("batch: HL = mean P(human), Cov = mean over tasks, Score = 0.5·HL + 0.5·Cov; no NaN", () => {
    const rng = createRng(5);
    const pt = (shift: number) => fromVector(Array.from({ length: 19 }, () => shift + rng.next()));
    const humans = Array.from({ length: 20 }, () => pt(3));
    const sims = Array.from({ length: 20 }, () => pt(0));
    const { model } = trainDiscriminator(humans, sims, { cue_version: "ref-d49b1e0", preparation: "reference", normalization: "none", human: { name: "h", n: 20, hash: "" }, simulator: { name: "s", n: 20, hash: "" }, models: {} }, { nTrees: 20 });
    const episodes = [
      { id: "a", task_id: "1", features: humans[0]! },
      { id: "b", task_id: "1", features: humans[1]! },
      { id: "c", task_id: "2", features: sims[0]! },
    ];
    const r = scoreFeatures(episodes, humans, model, { space: "raw" });
    expect(r.episodes.map((e) => e.id)).toEqual(["a", "b", "c"]);
    expect(r.hl).toBeCloseTo(r.episodes.reduce((s, e) => s + e.p_human, 0) / 3, 12);
    expect(r.tasks.map((t) => t.task_id)).toEqual(["1", "2"]);
    expect(r.cov).toBeCloseTo((r.tasks[0]!.coverage + r.tasks[1]!.coverage) / 2, 12);
    expect(r.tasks[0]!.coverage).toBeGreaterThan(r.tasks[1]!.coverage);
    expect(r.score).toBeCloseTo(0.5 * r.hl + 0.5 * r.cov, 12);
    expect(JSON.stringify(r)).not.toMatch(/null,|NaN/);
    // one human only: documented d_ref = 1, still finite
    const one = scoreFeatures(episodes, [humans[0]!], model, { space: "z" });
    for (const v of [one.hl, one.cov, one.score]) expect(Number.isFinite(v)).toBe(true);
    expect(() => scoreFeatures([], humans, model, { space: "raw" })).toThrow(InputError);
  });
});
