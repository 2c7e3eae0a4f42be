import { expect, test } from "bun:test";
import { runPool } from "../../src/pool.ts";
import { NO_PERSONA, planEpisodes, trialSeed } from "../../src/sim/plan.ts";
import { summarize } from "../../src/sim/summary.ts";

test("the plan is tasks × personas × trials with stable ids, ordinals and per-trial seeds", () => {
  const personas = new Map([["7", [{ key: "p0", text: "terse" }, { key: "p1", text: "angry" }]]]);
  const plan = planEpisodes({ runId: "r", taskIds: ["7", "9"], personas, trials: 2, seed: 42 });
  expect(plan.map((p) => p.id)).toEqual(["r:7:p0:0", "r:7:p0:1", "r:7:p1:0", "r:7:p1:1", "r:9:base:0", "r:9:base:1"]);
  expect(plan.map((p) => p.ordinal)).toEqual([0, 1, 2, 3, 4, 5]);
  expect(plan[4]!.persona).toEqual(NO_PERSONA);
  expect(plan[0]!.seed).toBe(plan[4]!.seed);
  expect(plan[0]!.seed).not.toBe(plan[1]!.seed);
  expect(planEpisodes({ runId: "r", taskIds: ["7", "9"], personas, trials: 2, seed: 42 })).toEqual(plan);
  expect(trialSeed(42, 0)).not.toBe(trialSeed(43, 0));
});

test("the pool never exceeds its concurrency and stops taking work once aborted", async () => {
  let inFlight = 0;
  let peak = 0;
  const done: number[] = [];
  const abort = new AbortController();
  await runPool(
    Array.from({ length: 20 }, (_, i) => i),
    3,
    async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Bun.sleep(2);
      inFlight--;
      done.push(i);
      if (i === 5) abort.abort();
    },
    abort.signal,
  );
  expect(peak).toBe(3);
  expect(done.length).toBeLessThan(20);
  expect(done.length).toBeGreaterThanOrEqual(6);
});

test("pass^k follows τ²: mean over tasks of C(c,k)/C(n,k)", () => {
  const ep = (task_id: string, reward: number) => ({ task_id, reward, termination: "user_stop", user_turns: 4, fidelity_flags: 0, prompt_tokens: 10, completion_tokens: 5 });
  // task a: 2 of 3 succeed; task b: 3 of 3.
  const s = summarize([ep("a", 1), ep("a", 1), ep("a", 0), ep("b", 1), ep("b", 1), ep("b", 1)]);
  expect(s.pass_hat_k["1"]).toBeCloseTo((2 / 3 + 1) / 2, 12);
  expect(s.pass_hat_k["2"]).toBeCloseTo((1 / 3 + 1) / 2, 12);
  expect(s.pass_hat_k["3"]).toBeCloseTo((0 + 1) / 2, 12);
  expect(s.avg_reward).toBeCloseTo(5 / 6, 12);
  // Uneven trials (a: 3, c: 1): pass^k stops at the fewest (k = 1), every task over its own count.
  const uneven = summarize([ep("a", 1), ep("a", 1), ep("a", 0), ep("c", 0)]);
  expect(Object.keys(uneven.pass_hat_k)).toEqual(["1"]);
  expect(uneven.pass_hat_k["1"]).toBeCloseTo((2 / 3 + 0) / 2, 12);
  expect(s.terminations).toEqual({ user_stop: 6 });
  expect(summarize([]).avg_reward).toBe(0);
  const flagged = summarize([{ ...ep("a", 1), persona_key: "terse", fidelity_flags: 2 }, { ...ep("a", 0), persona_key: "terse" }, ep("b", 1)]);
  expect(flagged.fidelity_by_persona).toEqual({ terse: { episodes: 2, flag_rate: 0.5 }, base: { episodes: 1, flag_rate: 0 } });
  expect(flagged.fidelity_flag_rate).toBeCloseTo(1 / 3, 12);
});
