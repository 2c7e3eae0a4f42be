import { describe, expect, test } from "bun:test";
import { FEATURE_NAMES, fromVector } from "../../src/fitness/index.ts";
import { aggregateTasks, conditionMetrics, type EpisodeStats } from "../../src/report/index.ts";
import { createRng } from "../../src/rng.ts";

const feats = (v: number) => FEATURE_NAMES.map(() => v);
const ep = (task_id: string, persona_key: string, trial: number, reward: number | null, extra: Partial<EpisodeStats> = {}): EpisodeStats => ({
  task_id, persona_key, trial, reward, user_turns: 4, fidelity_flags: 0, prompt_tokens: 100, completion_tokens: 20, ...extra,
});

describe("condition metrics", () => {
  // Task A, persona p0: 3 trials, 2 successes. Task B, persona p0: 1 trial, failed, flagged; one infrastructure error.
  const episodes: EpisodeStats[] = [
    ep("A", "p0", 0, 1, { p_human: 0.8, features: feats(0.5), cost: 0.01 }),
    ep("A", "p0", 1, 1, { p_human: 0.6, features: feats(0.5), cost: 0.03 }),
    ep("A", "p0", 2, 0, { p_human: 0.4, features: feats(0.5), user_turns: 10 }),
    ep("B", "p0", 0, 0, { p_human: 0.2, features: feats(0.5), fidelity_flags: 2 }),
    ep("B", "p1", 0, null, { termination: "infrastructure_error", user_turns: 0, prompt_tokens: 0, completion_tokens: 0 }),
  ];
  const tasks = aggregateTasks(episodes, new Map([["A", 0.9], ["B", 0.5]]));
  const m = conditionMetrics(tasks, { rng: createRng(1), resamples: 200, humans: [fromVector(feats(1)), fromVector(feats(1))] });

  test("point values by hand", () => {
    expect(m.reward.value).toBeCloseTo(2 / 4, 12); // infrastructure error left out
    expect(m.pass_hat_k["1"]!.value).toBeCloseTo((2 / 3 + 0) / 2, 12);
    // τ²'s rule: k only up to the fewest trials of any user (B·p0 has one).
    expect(Object.keys(m.pass_hat_k)).toEqual(["1"]);
    expect(m.hl.value).toBeCloseTo((0.8 + 0.6 + 0.4 + 0.2) / 4, 12);
    expect(m.cov.value).toBeCloseTo(0.7, 12);
    expect(m.score.value).toBeCloseTo(0.5 * 0.5 + 0.5 * 0.7, 12);
    // Dice of 0.5 vs 1 on every feature: 2·0.5/1.5.
    for (const d of [m.d1, m.d2, m.d3, m.d4, m.usi]) expect(d.value).toBeCloseTo(2 / 3, 12);
    expect(m.fidelity_flag_rate.value).toBeCloseTo(1 / 5, 12);
    expect(m.user_turns.value).toBeCloseTo((4 + 4 + 10 + 4 + 0) / 5, 12);
    expect(m.tokens.value).toBeCloseTo((120 * 4) / 5, 12);
    expect(m.cost.value).toBeCloseTo(0.02, 12); // only priced episodes
    expect(m.reward.n).toBe(2);
  });

  test("pass^k per user (task × persona) over its trials, by hand: C(c,k)/C(n,k) averaged", () => {
    const even = [0, 1, 2].flatMap((trial) => [ep("A", "p0", trial, trial < 2 ? 1 : 0), ep("B", "p0", trial, 0), ep("B", "p1", trial, 1)]);
    const p = conditionMetrics(aggregateTasks(even), { rng: createRng(4), resamples: 100 }).pass_hat_k;
    expect(Object.keys(p)).toEqual(["1", "2", "3"]);
    expect(p["1"]!.value).toBeCloseTo((2 / 3 + 0 + 1) / 3, 12);
    expect(p["2"]!.value).toBeCloseTo((1 / 3 + 0 + 1) / 3, 12);
    expect(p["3"]!.value).toBeCloseTo((0 + 0 + 1) / 3, 12);
    expect(p["2"]!.lo!).toBeLessThanOrEqual(p["2"]!.value!);
  });

  test("intervals contain their point value and come from task resamples", () => {
    for (const e of [m.reward, m.hl, m.cov, m.score, m.d1, m.fidelity_flag_rate]) {
      expect(e.lo!).toBeLessThanOrEqual(e.value! + 1e-12);
      expect(e.hi!).toBeGreaterThanOrEqual(e.value! - 1e-12);
    }
    // Resampling two tasks: coverage is 0.9 (A,A), 0.7 (A,B) or 0.5 (B,B); the 95% bounds reach the extremes.
    expect(m.cov.lo).toBeCloseTo(0.5, 12);
    expect(m.cov.hi).toBeCloseTo(0.9, 12);
  });

  test("no fitness data and no humans: fitness metrics are null, agent metrics stay", () => {
    const bare = conditionMetrics(aggregateTasks([ep("A", "", 0, 1), ep("B", "", 0, 0)]), { rng: createRng(2), resamples: 50 });
    for (const e of [bare.hl, bare.cov, bare.score, bare.d1, bare.usi, bare.cost]) expect(e.value).toBeNull();
    expect(bare.reward.value).toBe(0.5);
  });

  test("a bad episode row is rejected at the edge", () => {
    expect(() => aggregateTasks([{ task_id: "A", user_turns: -1 } as EpisodeStats])).toThrow();
  });
});
