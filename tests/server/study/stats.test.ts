import { describe, expect, test } from "bun:test";
import { fleissKappa, meanCi, studyResults, welchTTest } from "../../../src/server/index.ts";

describe("Welch's t-test", () => {
  test("equal sizes and variances: t = √2, df = 2, p = 1 − √2/2 (closed form of the t CDF at df 2)", () => {
    // a = [1, .5], b = [.5, 0]: means .75/.25, sample variances .125 each, se² = .0625 + .0625.
    const r = welchTTest([1, 0.5], [0.5, 0])!;
    expect(r.t).toBeCloseTo(Math.SQRT2, 10);
    expect(r.df).toBeCloseTo(2, 10);
    // df 2: P(|T| > t) = 1 − t/√(2 + t²) = 1 − √2/2.
    expect(r.p).toBeCloseTo(1 - Math.SQRT2 / 2, 8);
  });

  test("one side without variance: t = 3, df = 1, p = 1 − 2·atan(3)/π (Cauchy)", () => {
    // a = [1, 1] (var 0), b = [.5, 0] (var .125): se² = .0625, t = .75/.25 = 3; df = .0625² / (.0625²/1) = 1.
    const r = welchTTest([1, 1], [0.5, 0])!;
    expect(r.t).toBeCloseTo(3, 10);
    expect(r.df).toBeCloseTo(1, 10);
    expect(r.p).toBeCloseTo(1 - (2 * Math.atan(3)) / Math.PI, 8); // 0.204833
  });

  test("unequal sizes: Welch–Satterthwaite df", () => {
    // a = 1..5: mean 3, var 2.5, va/na = .5; b = [6, 8]: mean 7, var 2, vb/nb = 1.
    // t = −4/√1.5 = −3.26599; df = 1.5² / (.5²/4 + 1²/1) = 2.25/1.0625 = 2.117647.
    const r = welchTTest([1, 2, 3, 4, 5], [6, 8])!;
    expect(r.t).toBeCloseTo(-4 / Math.sqrt(1.5), 10);
    expect(r.df).toBeCloseTo(2.25 / 1.0625, 10);
    // p lies between the df-2 and df-3 two-sided tail probabilities at this t (t CDF is monotone in df).
    const t = 4 / Math.sqrt(1.5);
    expect(r.p).toBeLessThan(1 - t / Math.sqrt(2 + t * t));
    expect(r.p).toBeGreaterThan(0.04);
  });

  test("undefined without two values a side or without any variance", () => {
    expect(welchTTest([1], [0, 1])).toBeNull();
    expect(welchTTest([1, 1], [0, 0])).toBeNull();
  });
});

describe("95% t-interval", () => {
  test("n = 3: mean ± t(.975, 2)·s/√n with t = .95·√(2/.0975) (closed form at df 2)", () => {
    // [.2, .4, .6]: mean .4, s = .2, se = .2/√3; t(.975, 2) = 4.302653.
    const half = 0.95 * Math.sqrt(2 / 0.0975) * (0.2 / Math.sqrt(3));
    const ci = meanCi([0.2, 0.4, 0.6]);
    expect(ci.mean).toBeCloseTo(0.4, 12);
    expect(ci.low!).toBeCloseTo(0.4 - half, 8);
    expect(ci.high!).toBeCloseTo(0.4 + half, 8);
    expect(meanCi([0.2, 0.4, 0.6], [0, 1]).low).toBe(0);
  });

  test("one value has a mean and no interval; none has neither", () => {
    expect(meanCi([0.5])).toEqual({ n: 1, mean: 0.5, low: null, high: null });
    expect(meanCi([])).toEqual({ n: 0, mean: null, low: null, high: null });
  });
});

describe("Fleiss' κ", () => {
  test("the textbook example: 10 subjects, 14 raters, 5 categories → κ ≈ 0.210", () => {
    const table = [
      [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];
    // P_i = (Σ_j n_ij² − 14)/182; numerators 182, 46, 56, 80, 60, 84, 44, 32, 52, 52 → P̄ = 688/1820 = 0.378022.
    // p_j = (20, 28, 39, 21, 32)/140 → P̄e = (400 + 784 + 1521 + 441 + 1024)/19600 = 4170/19600 = 0.212755.
    const pe = 4170 / 19600;
    const pBar = 688 / 1820;
    expect(fleissKappa(table)!).toBeCloseTo((pBar - pe) / (1 - pe), 10);
    expect(fleissKappa(table)!).toBeCloseTo(0.21, 3);
  });

  test("two raters, four items: κ = 7/15", () => {
    // (2,0) (2,0) (1,1) (0,2): P_i = 1, 1, 0, 1 → P̄ = .75; p = 5/8, 3/8 → P̄e = 34/64; κ = (.75 − 34/64)/(1 − 34/64) = 7/15.
    expect(fleissKappa([[2, 0], [2, 0], [1, 1], [0, 2]])!).toBeCloseTo(7 / 15, 12);
  });

  test("items with one rating carry no agreement; all in one category is undefined", () => {
    expect(fleissKappa([[2, 0], [2, 0], [1, 1], [0, 2], [1, 0]])!).toBeCloseTo(7 / 15, 12);
    expect(fleissKappa([[2, 0], [2, 0]])).toBeNull();
    expect(fleissKappa([[1, 0]])).toBeNull();
  });
});

describe("study results", () => {
  test("shares per conversation, CIs, Welch, κ and accuracy from raw answers", () => {
    // Items 0,1 human; 2,3 from run-a. Annotator 1: human on 0,1,2, simulator on 3. Annotator 2: human on 0,1, simulator on 2,3.
    const answers = [
      [1, 0, "human"], [1, 1, "human"], [1, 2, "human"], [1, 3, "simulator"],
      [2, 0, "human"], [2, 1, "human"], [2, 2, "simulator"], [2, 3, "simulator"],
    ].map(([annotator, item, judgment]) => ({ annotator: annotator as number, item: item as number, judgment: judgment as "human" | "simulator", confidence: 4, comment: "" }));
    const r = studyResults({ study: "s", conditions: ["human", "run-a"], items: [0, 1, 2, 3].map((item) => ({ item, condition: item < 2 ? "human" : "run-a" })), annotators: [1, 2], answers });
    const [human, run] = r.conditions;
    expect(human!.judged_human).toBe(1);
    expect(run!.judged_human).toBeCloseTo(0.25, 12); // shares .5 and 0
    expect(run!.ci_low).toBe(0); // .25 − 12.706·.25 clamped
    expect(run!.ci_high).toBe(1);
    expect(r.comparisons).toHaveLength(1);
    expect(r.comparisons[0]!.t).toBeCloseTo(3, 10);
    expect(r.comparisons[0]!.p).toBeCloseTo(1 - (2 * Math.atan(3)) / Math.PI, 8);
    expect(r.fleiss_kappa!).toBeCloseTo(7 / 15, 12);
    expect(r.per_annotator).toEqual([{ annotator: 1, answered: 4, accuracy: 0.75 }, { annotator: 2, answered: 4, accuracy: 1 }]);
  });
});
