/**
 * The engine end to end against the fake server as mutator and a synthetic evaluator; assertions are
 * on the archive. Covers a scripted run (grid, migration, failed diff and its retry, duplicates, check
 * failure, evaluation failure and timeout, validation, final choice, Pareto front), early stop,
 * determinism at parallel 1 vs 4, ro replay with the server stopped, a missing call, the budget, and
 * bad input.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exitCodeOf } from "../../src/errors.ts";
import { cellOf, deriveSeed, type EvolveOptionsInput, type Evaluator, llmMutator, resumeEvolution, startEvolution, summarizeEvolution } from "../../src/evolve/index.ts";
import { BudgetExhausted, createLlm, type LlmOptions } from "../../src/llm/index.ts";
import { createRun, getRun, openStore, type Store } from "../../src/store/index.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai/index.ts";
import { archiveOf, type Behaviour, mutatorReply, numbersOf, problem, rowsOf, scoreOf, syntheticEvaluator } from "./_kit.ts";

const tmpStore = () => openStore(join(mkdtempSync(join(tmpdir(), "ppol-evolve-")), "a.sqlite"));
const at = (g: number, s: number, a: number, seed = 42) => deriveSeed(seed, "mutate", g, s, a);

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.stop());

async function run(store: Store, runId: string, options: EvolveOptionsInput, o: { evaluator?: Evaluator; llm?: Partial<LlmOptions>; config?: LlmOptions["config"] } = {}) {
  const llm = createLlm({ config: o.config ?? fake.config(), store, runId, cacheMode: "rw", env: {}, ...o.llm });
  try {
    return await startEvolution({ store, problem, evaluator: o.evaluator ?? syntheticEvaluator(), mutator: llmMutator(llm) }, { runId, options });
  } finally {
    await llm.close();
  }
}

describe("a scripted run", () => {
  const script = new Map<number, Behaviour>([
    [at(1, 0, 0), "bad_once"],
    [at(1, 1, 0), "unchanged"],
    [at(1, 1, 1), "whitespace"],
    [at(2, 0, 0), "check_fail"],
    [at(2, 1, 0), "fail"],
    [at(3, 0, 0), "hang"],
    [at(3, 1, 0), "bad_always"],
    [at(3, 1, 1), "bad_always"],
    [at(3, 1, 2), "bad_always"],
  ]);
  const calls: string[] = [];
  const validations: string[] = [];
  let store: Store;
  let byId: Map<string, ReturnType<typeof rowsOf>[number]>;
  const options = { islands: 2, iterations: 16, migration_interval: 2, migration_rate: 0.5, early_stop: 0, validation_threshold: 0.85, evaluation_timeout_ms: 300, max_proposals: 3, parallel: 2 };

  beforeAll(async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply(script));
    store = tmpStore();
    const result = await run(store, "scripted", options, { evaluator: syntheticEvaluator({ calls, validations }) });
    expect(result.status).toBe("done");
    expect(result.stopReason).toBe("iterations");
    byId = new Map(rowsOf(store.db, "scripted").map((r) => [r.id, r]));
  });

  test("a diff that matches nothing is sent back once with the nearest lines; the retry's child is evaluated", () => {
    const row = store.db.query("SELECT status, request_hashes_json, diff FROM evolve_programs WHERE run_id = 'scripted' AND id = 'g1-s0-a0'").get() as any;
    expect(row.status).toBe("evaluated");
    expect(JSON.parse(row.request_hashes_json)).toHaveLength(2);
    expect(row.diff).not.toContain("12345");
    const retry = fake.requests.find((r) => r.last.startsWith("Your edit could not be applied"))!;
    expect(retry.last).toContain("SEARCH block 1 of 1 matches nothing inside the EVOLVE blocks");
    expect(retry.last).toMatch(/its first line: "([ABCD]) = 12345"\)\. The nearest lines of the program are:\n +\d+\| \1 = 0\.\d+\n/);
  });

  test("an unchanged child is rejected as duplicate, a whitespace-only one as similar, then a new proposal is drawn", () => {
    expect(byId.get("g1-s1-a0")).toMatchObject({ status: "rejected", reason: "duplicate" });
    expect(byId.get("g1-s1-a1")).toMatchObject({ status: "rejected", reason: "similar" });
    expect(byId.get("g1-s1-a2")!.status).toBe("evaluated");
    const second = fake.requests.find((r) => Number(r.body.seed) === at(1, 1, 1))!;
    expect(second.body.messages[1].content).toContain("Your previous proposal was rejected (duplicate)");
  });

  test("a check failure and a diff that never applies are rejected before any evaluation", () => {
    expect(byId.get("g2-s0-a0")).toMatchObject({ status: "rejected", reason: "check_failed" });
    expect(byId.get("g2-s0-a0")!.code).toMatch(/^[ABCD] = oops$/m);
    for (const a of [0, 1, 2]) expect(byId.get(`g3-s1-a${a}`)).toMatchObject({ status: "rejected", reason: "diff_failed" });
    expect(byId.has("g3-s1-a3")).toBe(false);
    const rejected = [...byId.values()].filter((r) => r.status === "rejected").map((r) => r.id);
    expect(calls.filter((id) => rejected.includes(id))).toEqual([]);
  });

  test("an evaluation failure and an evaluation timeout are recorded as failed, and nothing is evaluated twice", () => {
    const failed = store.db.query("SELECT reason, error, artifacts_json FROM evolve_programs WHERE run_id = 'scripted' AND id = 'g2-s1-a0'").get() as any;
    expect(failed).toMatchObject({ reason: "error", error: "Traceback: FAIL found" });
    expect(JSON.parse(failed.artifacts_json)).toEqual({ stderr: "boom" });
    expect(byId.get("g3-s0-a0")).toMatchObject({ status: "failed", reason: "timeout" });
    expect(new Set(calls).size).toBe(calls.length);
  });

  test("validation runs on the seed and exactly on train scores above the threshold; the final choice is by validation", () => {
    const evaluated = [...byId.values()].filter((r) => r.status === "evaluated" && !r.id.includes("-m"));
    const above = evaluated.filter((r) => r.id === "g0-seed" || JSON.parse(r.metrics_json!).score > 0.85).map((r) => r.id);
    expect(above.length).toBeGreaterThan(1);
    expect(validations.sort()).toEqual(above.sort());
    expect(evaluated.filter((r) => r.validation_json !== null).map((r) => r.id).sort()).toEqual(above.sort());
    const best = evaluated.filter((r) => r.validation_json).sort((a, b) => JSON.parse(b.validation_json!).metrics.score - JSON.parse(a.validation_json!).metrics.score)[0]!;
    expect(summarizeEvolution(store, "scripted").final!.id).toBe(best.id);
  });

  test("--final-by train picks the best train score instead (the reference's OpenEvolve best)", async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply(script));
    const other = tmpStore();
    // Validation that ranks programs the other way round, so the two choices cannot coincide.
    const reversed = { ...syntheticEvaluator(), validate: async (p: { code: string }) => ({ status: "evaluated" as const, metrics: { score: 1 - scoreOf(numbersOf(p.code) as Record<string, number>) } }) };
    const r = await run(other, "by-train", { ...options, final_by: "train" }, { evaluator: reversed });
    const byValidation = summarizeEvolution(other, "by-train").bestValidation!;
    const rows = rowsOf(other.db, "by-train").filter((x) => x.status === "evaluated" && !x.id.includes("-m")); // migrants are copies
    const bestTrain = rows.sort((a, b) => JSON.parse(b.metrics_json!).score - JSON.parse(a.metrics_json!).score)[0]!;
    expect(r.final!.id).toBe(bestTrain.id);
    expect(byValidation.id).not.toBe(bestTrain.id);
    other.close();
  });

  test("ring migration every 2 generations; migrants never migrate again; copies of the seed on every island", () => {
    const migrants = store.db.query("SELECT m.id, m.generation, m.island, s.island AS from_island, s.kind AS source_kind, m.code_sha FROM evolve_programs m JOIN evolve_programs s ON s.run_id = m.run_id AND s.id = m.source_id WHERE m.run_id = 'scripted' AND m.kind = 'migrant'").all() as any[];
    expect(migrants.find((m) => m.id === "g0-m0")).toMatchObject({ island: 1, source_kind: "seed" });
    const later = migrants.filter((m) => m.generation > 0);
    expect(later.length).toBeGreaterThan(0);
    expect(new Set(later.map((m) => m.generation))).toEqual(new Set([2, 4, 6, 8].filter((g) => later.some((m) => m.generation === g))));
    for (const m of later) {
      expect(m.generation % 2).toBe(0);
      expect(m.source_kind).not.toBe("migrant");
      expect(m.island).toBe((m.from_island + 1) % 2);
    }
    expect(new Set(later.map((m) => `${m.island}:${m.code_sha}`)).size).toBe(later.length);
  });

  test("each island's grid holds one owner per cell its programs reached", () => {
    const rows = store.db.query("SELECT island, descriptors_json FROM evolve_programs WHERE run_id = 'scripted' AND status = 'evaluated'").all() as any[];
    const summary = summarizeEvolution(store, "scripted");
    for (const island of summary.islands) {
      const cells = new Set(rows.filter((r) => r.island === island.island).map((r) => cellOf(JSON.parse(r.descriptors_json), 5)));
      expect(island.cells).toBe(cells.size);
    }
    expect(summary.iterations).toBe(16);
    expect(summary.rejected).toMatchObject({ duplicate: 1, similar: 1, check_failed: 1, diff_failed: 3 });
    expect(summary.failed).toEqual({ error: 1, timeout: 1 });
  });

  test("the Pareto front is exactly the non-dominated evaluated programs", () => {
    const summary = summarizeEvolution(store, "scripted");
    const all = (store.db.query("SELECT id, objectives_json FROM evolve_programs WHERE run_id = 'scripted' AND status = 'evaluated' AND kind != 'migrant'").all() as any[]).map((r) => ({ id: r.id, o: JSON.parse(r.objectives_json) as number[] }));
    const dominated = (p: { o: number[] }) => all.some((q) => q.o.every((v, i) => v >= p.o[i]!) && q.o.some((v, i) => v > p.o[i]!));
    expect(summary.paretoFront.map((p) => p.id).sort()).toEqual(all.filter((p) => !dominated(p)).map((p) => p.id).sort());
  });
});

test("early stop after N evaluations without a new best", async () => {
  fake.reset();
  fake.reply({ role: "mutator" }, mutatorReply());
  const store = tmpStore();
  const result = await run(store, "flat", { islands: 2, iterations: 40, early_stop: 6 }, { evaluator: syntheticEvaluator({ constant: true }) });
  expect(result).toMatchObject({ status: "done", stopReason: "early_stop", generations: 4 });
  expect((store.db.query("SELECT count(*) AS n FROM evolve_programs WHERE run_id = 'flat' AND status IN ('evaluated', 'failed') AND kind != 'migrant'").get() as any).n).toBe(7);
});

describe("determinism and replay", () => {
  const options = { islands: 3, iterations: 15, migration_interval: 2, objective: "pareto" as const, max_proposals: 2, population: 8, archive: 12 };
  const script = new Map<number, Behaviour>([[at(1, 0, 0), "bad_once"], [at(2, 1, 0), "unchanged"], [at(3, 2, 0), "fail"]]);
  let store: Store;

  test("parallel 1 and parallel 4 give identical archives", async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply(script));
    store = tmpStore();
    const slow = syntheticEvaluator({ delayMs: (p) => (p.id.charCodeAt(1) * 7 + p.slot * 13) % 20 });
    const one = await run(store, "p1", { ...options, parallel: 1 }, { evaluator: slow });
    const four = await run(store, "p4", { ...options, parallel: 4 }, { evaluator: slow });
    expect(one.final!.id).toBe(four.final!.id);
    const a = archiveOf(store.db, "p1");
    expect(a.programs.length).toBeGreaterThan(20);
    expect(archiveOf(store.db, "p4")).toEqual(a);
  });

  test("ro replay with the server stopped gives the same archive; a missing call names its hash and role", async () => {
    const down = await startFakeOpenAI();
    const config = down.config();
    await down.stop();
    const replay = await run(store, "ro", { ...options, parallel: 3 }, { config, llm: { cacheMode: "ro" } });
    expect(replay.status).toBe("done");
    expect(archiveOf(store.db, "ro")).toEqual(archiveOf(store.db, "p1"));
    const error = await run(store, "ro-miss", { ...options, seed: 7 }, { config, llm: { cacheMode: "ro" } }).catch((e) => e);
    expect(exitCodeOf(error)).toBe(1);
    expect(error.message).toMatch(/^replay: no recorded answer for the mutator call with request hash [0-9a-f]{64}$/);
    expect(getRun(store, "ro-miss")!.status).toBe("failed");
  });

  test("a spent budget stops cleanly as interrupted; resume finishes with the same archive", async () => {
    const llm = createLlm({ config: fake.config(), store, runId: "budget", cacheMode: "off", env: {}, budget: { maxTokens: 2500 } });
    const result = await startEvolution({ store, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(llm) }, { runId: "budget", options: { ...options, parallel: 2 } });
    await llm.close();
    expect(result).toMatchObject({ status: "interrupted", stopReason: "budget" });
    expect(result.message).toContain("LLM budget reached");
    expect(getRun(store, "budget")!.status).toBe("interrupted");
    const partial = (store.db.query("SELECT count(*) AS n FROM evolve_programs WHERE run_id = 'budget'").get() as any).n;
    expect(partial).toBeLessThan(archiveOf(store.db, "p1").programs.length);
    const again = createLlm({ config: fake.config(), store, runId: "budget", cacheMode: "rw", env: {} });
    const resumed = await resumeEvolution({ store, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(again) }, "budget", { parallel: 3 });
    await again.close();
    expect(resumed.status).toBe("done");
    expect(archiveOf(store.db, "budget")).toEqual(archiveOf(store.db, "p1"));
  });
});

describe("bad input → exit 2, archive untouched", () => {
  const deps = (store: Store) => ({ store, problem, evaluator: syntheticEvaluator(), mutator: { targets: ["x"], propose: () => Promise.reject(new Error("not called")) } });

  test("a seed without EVOLVE-BLOCK markers, a seed that fails its check, bad options", async () => {
    const store = tmpStore();
    const cases: [Parameters<typeof startEvolution>[0]["problem"], EvolveOptionsInput, RegExp][] = [
      [{ ...problem, seed: "A = 0.1\n" }, {}, /^seed program: no EVOLVE-BLOCK-START/],
      [{ ...problem, seed: "# EVOLVE-BLOCK-START\nA = 1\n# EVOLVE-BLOCK-END\n" }, {}, /^seed program: B is missing/],
      [problem, { exploration: 0.5, exploitation: 0.7 }, /^evolve\.exploitation: exploration \+ exploitation must be at most 1/],
      [problem, { islands: 0 }, /^evolve\.islands:/],
    ];
    for (const [p, options, message] of cases) {
      const error = await startEvolution({ ...deps(store), problem: p }, { runId: "bad", options }).catch((e) => e);
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toMatch(message);
    }
    expect(getRun(store, "bad")).toBeUndefined();
  });

  test("resume of an unknown run, a non-evolve run, a finished run, or with another problem", async () => {
    const store = tmpStore();
    createRun(store, { id: "sim", kind: "simulate", config: {}, version: "t", now: new Date() });
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply());
    await run(store, "done", { islands: 1, iterations: 2 });
    const llm = createLlm({ config: fake.config(), store, runId: "cut", cacheMode: "rw", env: {} });
    const stop = new AbortController();
    stop.abort();
    await startEvolution({ store, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(llm), signal: stop.signal }, { runId: "cut", options: { islands: 1, iterations: 2 } });
    await llm.close();
    expect(getRun(store, "cut")!.status).toBe("interrupted");
    const cases = [
      ["nope", problem, /^no run nope in /],
      ["sim", problem, /^run sim is a simulate run, not an evolve run$/],
      ["done", problem, /^run done is already finished$/],
      ["cut", { ...problem, mutationAngles: ["something else"] }, /^run cut was started with another seed program, system prompt or mutation angles$/],
    ] as const;
    for (const [id, p, message] of cases) {
      const error = await resumeEvolution({ ...deps(store), problem: p }, id).catch((e) => e);
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toMatch(message);
    }
    expect(getRun(store, "done")!.status).toBe("done");
  });
});

test("mutator bandit: two targets, pinned per slot, learns the one whose children improve", async () => {
  const two = await startFakeOpenAI({ models: ["small", "big"] });
  const base = mutatorReply();
  two.reply({ role: "mutator" }, (req) => {
    if (req.model === "big") return base(req);
    return { content: "<<<<<<< SEARCH\nA = nothing\n=======\nA = 0.5\n>>>>>>> REPLACE" }; // never applies
  });
  const cfg = two.config();
  const config = { ...cfg, roles: { ...cfg.roles, mutator: { targets: [{ endpoint: "fake", model: "small", weight: 1 }, { endpoint: "fake", model: "big", weight: 1 }] } } };
  const store = tmpStore();
  const llm = createLlm({ config, store, runId: "bandit", cacheMode: "rw", env: {} });
  await startEvolution({ store, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(llm, ["small", "big"]) }, { runId: "bandit", options: { islands: 2, iterations: 30, mutator_bandit: true, max_proposals: 1, early_stop: 0 } });
  await llm.close();
  await two.stop();
  const rows = store.db.query("SELECT generation, mutator_target, mutator_model FROM evolve_programs WHERE run_id = 'bandit' AND kind = 'child'").all() as any[];
  for (const r of rows) expect(r.mutator_model).toBe(["small", "big"][r.mutator_target]);
  const late = rows.filter((r) => r.generation > 8);
  expect(late.filter((r) => r.mutator_target === 1).length).toBeGreaterThan(late.length * 0.7);
  const stats = summarizeEvolution(store, "bandit", 2).bandit!;
  expect(stats[1]!.improved).toBeGreaterThan(0);
  expect(stats[0]!.improved).toBe(0);
});

describe("more ways a proposal or a run can go", () => {
  test("full-rewrite fallback: after the diff and its retry fail, the rewritten EVOLVE block is spliced in", async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply(new Map([[at(1, 0, 0), "bad_always"]])));
    const store = tmpStore();
    await run(store, "rewrite", { islands: 1, iterations: 1, full_rewrite_fallback: true });
    const row = store.db.query("SELECT status, code, request_hashes_json FROM evolve_programs WHERE run_id = 'rewrite' AND id = 'g1-s0-a0'").get() as any;
    expect(row.status).toBe("evaluated");
    expect(JSON.parse(row.request_hashes_json)).toHaveLength(3);
    expect(row.code).toMatch(/^[ABCD] = 0\.55$/m);
    expect(row.code).toEndWith("def total():\n    return A + B + C + D\n");
  });

  test("Ctrl-C mid-run: interrupted, nothing half-written; resume gives the uninterrupted archive", async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply());
    const store = tmpStore();
    const options = { islands: 2, iterations: 12, parallel: 2 };
    await run(store, "whole", options);
    const stop = new AbortController();
    const llm = createLlm({ config: fake.config(), store, runId: "cut", cacheMode: "rw", env: {} });
    let programs = 0;
    const onEvent = (e: { kind: string }) => void (e.kind === "program" && ++programs === 9 && stop.abort());
    const cut = await startEvolution({ store, problem, evaluator: syntheticEvaluator({ delayMs: () => 5 }), mutator: llmMutator(llm), signal: stop.signal, onEvent }, { runId: "cut", options });
    await llm.close();
    expect(cut).toMatchObject({ status: "interrupted", stopReason: "signal" });
    expect(getRun(store, "cut")!.status).toBe("interrupted");
    const again = createLlm({ config: fake.config(), store, runId: "cut", cacheMode: "rw", env: {} });
    await resumeEvolution({ store, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(again) }, "cut");
    await again.close();
    expect(archiveOf(store.db, "cut")).toEqual(archiveOf(store.db, "whole"));
  });

  test("an evaluator result that breaks the contract is recorded as failed, naming the field", async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply());
    const store = tmpStore();
    const good = syntheticEvaluator();
    const evaluator: Evaluator = { evaluate: async (p, ctx) => (p.kind === "seed" ? good.evaluate(p, ctx) : { status: "evaluated", metrics: { score: Number.NaN }, descriptors: [0, 0] }) };
    await run(store, "nan", { islands: 1, iterations: 1 }, { evaluator });
    expect(store.db.query("SELECT status, reason, error FROM evolve_programs WHERE run_id = 'nan' AND id = 'g1-s0-a0'").get()).toEqual({
      status: "failed",
      reason: "error",
      error: expect.stringMatching(/^the evaluator returned an invalid result: metrics\.score: .*NaN/),
    });
    const again = await run(store, "nan", { islands: 1, iterations: 1 }, { evaluator }).catch((e) => e);
    expect(again.message).toMatch(/^run nan already exists in /);
  });

  test("prepare runs once before any evaluation; its failure stops the run (a spent budget as interrupted), and resume prepares again", async () => {
    fake.reset();
    fake.reply({ role: "mutator" }, mutatorReply());
    const store = tmpStore();
    const good = syntheticEvaluator();
    const log: string[] = [];
    let failWith: Error | undefined = new Error("set-up broke");
    const evaluator: Evaluator = {
      async prepare({ runId }) {
        log.push(`prepare ${runId}`);
        if (failWith) throw failWith;
      },
      evaluate: (p, ctx) => (log.push(`evaluate ${p.id}`), good.evaluate(p, ctx)),
    };
    const failed = await run(store, "prep", { islands: 1, iterations: 1 }, { evaluator }).catch((e) => e);
    expect(failed.message).toBe("set-up broke");
    expect(log).toEqual(["prepare prep"]);
    expect(getRun(store, "prep")!.status).toBe("failed");
    failWith = new BudgetExhausted("budget of 1 tokens reached");
    const llm = createLlm({ config: fake.config(), store, runId: "prep", cacheMode: "rw", env: {} });
    const interrupted = await resumeEvolution({ store, problem, evaluator, mutator: llmMutator(llm) }, "prep");
    expect(interrupted).toMatchObject({ status: "interrupted", stopReason: "budget" });
    failWith = undefined;
    const done = await resumeEvolution({ store, problem, evaluator, mutator: llmMutator(llm) }, "prep");
    await llm.close();
    expect(done.status).toBe("done");
    expect(log).toEqual(["prepare prep", "prepare prep", "prepare prep", "evaluate g0-seed", "evaluate g1-s0-a0"]);
  });
});
