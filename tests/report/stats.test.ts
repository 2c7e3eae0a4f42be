import { describe, expect, test } from "bun:test";
import { bootstrapCi, bootstrapMean, quantile, tInterval } from "../../src/report/index.ts";
import { createRng, type Rng } from "../../src/rng.ts";

/** Standard normal draws (Box–Muller) from the project RNG. */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Synthetic benchmark: tasks with their own offset (episodes of one task are correlated), known grand mean. */
function tasks(rng: Rng, mu: number, nTasks: number, perTask: number): number[][] {
  return Array.from({ length: nTasks }, () => {
    const offset = 0.6 * normal(rng);
    return Array.from({ length: perTask }, () => mu + offset + 0.4 * normal(rng));
  });
}

describe("quantile and t interval", () => {
  test("quantile interpolates between order statistics like numpy", () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile([5], 0.9)).toBe(5);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  test("t interval of 1..5: 3 ± t(0.975, 4)·s/√n (hand-computed 1.9632)", () => {
    const e = tInterval([1, 2, 3, 4, 5]);
    expect(e.value).toBe(3);
    expect(e.lo!).toBeCloseTo(3 - 1.9632, 3);
    expect(e.hi!).toBeCloseTo(3 + 1.9632, 3);
    expect(tInterval([]).value).toBeNull();
  });
});

describe("task bootstrap", () => {
  test("the 95% interval covers the known mean in ≥ 90% of 200 seeded experiments (and is not trivially wide)", () => {
    const rng = createRng(2026);
    const mu = 2;
    let covered = 0;
    let half50 = 0;
    let widths = 0;
    for (let x = 0; x < 200; x++) {
      const data = tasks(rng, mu, 30, 4);
      const e = bootstrapMean(data, { rng, resamples: 500 });
      if (e.lo! <= mu && mu <= e.hi!) covered++;
      widths += e.hi! - e.lo!;
      const narrow = bootstrapMean(data, { rng, resamples: 500, level: 0.5 });
      if (narrow.lo! <= mu && mu <= narrow.hi!) half50++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(covered / 200).toBeLessThanOrEqual(0.99);
    // A 50% interval must cover about half the time: the level is honoured, not ignored.
    expect(half50 / 200).toBeGreaterThan(0.35);
    expect(half50 / 200).toBeLessThan(0.65);
    // Task-level spread is 0.6/√30 ≈ 0.11 per side: the mean width must be of that order.
    expect(widths / 200).toBeGreaterThan(0.3);
    expect(widths / 200).toBeLessThan(0.6);
  });

  test("the t interval over task means has the same coverage", () => {
    const rng = createRng(7);
    let covered = 0;
    for (let x = 0; x < 200; x++) {
      const means = tasks(rng, -1, 12, 5).map((t) => t.reduce((a, b) => a + b, 0) / t.length);
      const e = tInterval(means);
      if (e.lo! <= -1 && -1 <= e.hi!) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
  });

  test("same seed, same interval; different seed, different interval", () => {
    const data = tasks(createRng(1), 0, 20, 3);
    const a = bootstrapMean(data, { rng: createRng(5) });
    const b = bootstrapMean(data, { rng: createRng(5) });
    const c = bootstrapMean(data, { rng: createRng(6) });
    expect(a).toEqual(b);
    expect(a.lo).not.toBe(c.lo);
    expect(a.n).toBe(20);
  });

  test("no tasks → nulls; one task → a point; undefined replicates are dropped", () => {
    expect(bootstrapMean([], { rng: createRng(1) })).toEqual({ value: null, lo: null, hi: null, n: 0 });
    expect(bootstrapMean([[0.5, 1.5]], { rng: createRng(1) })).toEqual({ value: 1, lo: 1, hi: 1, n: 1 });
    // The statistic is undefined whenever the resample holds only the "empty" task.
    const e = bootstrapCi([[], [], [1]] as number[][], (s) => {
      const xs = s.flat();
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
    }, { rng: createRng(3) });
    expect(e).toEqual({ value: 1, lo: 1, hi: 1, n: 3 });
  });
});
