/**
 * `ppol evolve` end to end against the fake server, the real τ² airline data and a synthetic human set,
 * with assertions on the archive: migration 012, the discriminator bootstrap, grid placement, a failed
 * diff and its retry, a rejected duplicate, a program that raises, a sandbox timeout, validation with
 * its own episodes, the reflection, early stop, `run show` and the web dashboard's data; then a run that
 * fails mid-way and is resumed without redoing its bootstrap or its finished evaluation.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveSeed, summarizeEvolution } from "../../../src/evolve/index.ts";
import { evolveDashboard } from "../../../src/report/index.ts";
import { EvolveDashboardData } from "../../../src/server/index.ts";
import { loadDiscriminatorModel } from "../../../src/fitness/index.ts";
import { fitnessArchive, getEvolveBootstrap, listEvolveEvaluations, openStore, type Store } from "../../../src/store/index.ts";
import { runCli } from "../../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../../support/fake-openai/index.ts";
import { TEST_CACHE_ROOT } from "../../support/python.ts";
import { sharedPath, sharedTest } from "../../support/shared.ts";
import { type Behaviour, script, writeConfig, writeHumans } from "./_kit.ts";

// Sandbox processes boot in ~1 s alone, much longer on a loaded machine.
setDefaultTimeout(300_000);

const env = { PPOL_CACHE: TEST_CACHE_ROOT };
const at = (g: number, s: number, a: number) => deriveSeed(42, "mutate", g, s, a);
const TINY = { batch_size: "2", personas_schedule: "[[1, 2]]", personas_final: "2", islands: "2" };

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.stop());

async function setUp(evolve: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "ppol-evolve-run-"));
  const common = ["--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(dir, "a.sqlite"), "--tau2-data", sharedPath("tau2/domains")];
  const imported = await runCli(["human", "import", writeHumans(dir), "--format", "jsonl", "--name", "people", "--split", "train", ...common], { cwd: dir, env });
  expect(imported.code).toBe(0);
  writeConfig(dir, evolve);
  const ppol = (args: string[]) => runCli([...args, ...common], { cwd: dir, env });
  return { dir, ppol, db: join(dir, "a.sqlite") };
}

const rows = (store: Store, sql: string, ...args: (string | number)[]) => store.db.query(sql).all(...args) as Record<string, any>[];

describe("ppol evolve: a scripted run", () => {
  sharedTest("bootstrap, retry, duplicate, raise, timeout, validation, early stop — all in the archive", async () => {
    fake.reset();
    const mutations = new Map<number, Behaviour>([
      [at(1, 0, 0), "bad_once"],
      [at(1, 1, 0), "duplicate"],
      [at(2, 0, 0), "raise"],
      [at(2, 1, 0), "hang"],
    ]);
    // Every persona talks alike, so no child beats the seed and the run stops after 3 evaluations without a new best.
    script(fake, mutations, "terse");
    const { ppol, db } = await setUp({ ...TINY, iterations: "12", max_proposals: "2", early_stop: "3", sandbox_timeout_ms: "4000", validation_threshold: "0.99" });
    const r = await ppol(["evolve", "--domain", "airline", "--human", "people", "--tasks", "0,1,3", "--json"]);
    expect(r.err).toContain("ppol: discriminator d-");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    const run: string = out.run_id;
    expect(out).toMatchObject({ status: "done", stop_reason: "early_stop", iterations: 4, evaluations: 5, rejected: { duplicate: 1 }, failed: { error: 2 } });

    const store = openStore(db, { readonly: true });
    expect((store.db.query("SELECT max(version) AS v FROM schema_migrations").get() as { v: number }).v).toBeGreaterThanOrEqual(12);
    const program = (id: string) => rows(store, "SELECT * FROM evolve_programs WHERE run_id = ? AND id = ?", run, id)[0]!;

    // Bootstrap: the base simulator once per train task (held out: "1"), then a discriminator on them.
    const boot = getEvolveBootstrap(store, run)!;
    expect(boot.base_run_id).toBe(`${run}.base`);
    const base = rows(store, "SELECT task_id, persona_key, persona_text FROM episodes WHERE run_id = ? ORDER BY task_id", boot.base_run_id!);
    expect(base).toEqual([
      { task_id: "0", persona_key: "", persona_text: null },
      { task_id: "3", persona_key: "", persona_text: null },
    ]);
    const model = loadDiscriminatorModel(fitnessArchive(store), boot.discriminator_id);
    expect(model.provenance).toMatchObject({ cue_version: expect.any(String), preparation: "reference", human: { name: "people", n: 24 }, simulator: { name: `run:${boot.base_run_id}`, n: 2 } });
    expect(out.bootstrap).toEqual({ base_run_id: boot.base_run_id, discriminator_id: boot.discriminator_id });

    // A failed diff sent back once: the same proposal, two mutator calls.
    expect(program("g1-s0-a0").status).toBe("evaluated");
    expect(JSON.parse(program("g1-s0-a0").request_hashes_json)).toHaveLength(2);
    // An identical child is rejected before any episode, and the slot draws again.
    expect(program("g1-s1-a0")).toMatchObject({ status: "rejected", reason: "duplicate" });
    expect(program("g1-s1-a1").status).toBe("evaluated");
    expect(listEvolveEvaluations(store, run).some((e) => e.program_id === "g1-s1-a0")).toBe(false);
    // Program faults are failed evaluations with the error as feedback, not a failed run.
    expect(program("g2-s0-a0")).toMatchObject({ status: "failed", reason: "error" });
    expect(program("g2-s0-a0").error).toContain("RuntimeError: persona generation broke on purpose");
    expect(program("g2-s1-a0")).toMatchObject({ status: "failed", reason: "error" });
    expect(program("g2-s1-a0").error).toContain("timeout");

    // Each evaluation has its own run: personas and episodes of that program and phase only.
    const evals = listEvolveEvaluations(store, run);
    const seedTrain = evals.find((e) => e.program_id === "g0-seed" && e.phase === "train")!;
    const seedVal = evals.find((e) => e.program_id === "g0-seed" && e.phase === "validation")!;
    expect(JSON.parse(seedTrain.task_ids_json)).toEqual(["0", "3"]);
    expect(JSON.parse(seedVal.task_ids_json)).toEqual(["1"]);
    expect(seedTrain.iteration).toBe(1);
    const child = evals.find((e) => e.program_id === "g1-s0-a0")!;
    expect(child.iteration).toBe(2);
    expect(rows(store, "SELECT task_id, persona_key FROM episodes WHERE run_id = ? ORDER BY task_id, persona_key", child.episodes_run_id)).toEqual([
      { task_id: "0", persona_key: "p0" },
      { task_id: "0", persona_key: "p1" },
      { task_id: "3", persona_key: "p0" },
      { task_id: "3", persona_key: "p1" },
    ]);
    expect(rows(store, "SELECT count(*) AS n FROM personas WHERE run_id = ?", child.episodes_run_id)[0]!.n).toBe(4);
    expect(rows(store, "SELECT program_sha FROM persona_tasks WHERE run_id = ?", child.episodes_run_id).map((t) => t.program_sha)).toEqual([program("g1-s0-a0").code_sha, program("g1-s0-a0").code_sha]);
    // The rejected child's code is stored too (the web UI links every child to its program).
    expect(rows(store, "SELECT count(*) AS n FROM persona_programs WHERE sha256 = ?", program("g1-s1-a0").code_sha)[0]!.n).toBe(1);

    // Validation: the seed (first evaluation) only, on the held-out task, N_final personas, λ 0.5/0.5.
    const validation = JSON.parse(program("g0-seed").validation_json);
    expect(validation).toMatchObject({ status: "evaluated", metrics: { personas_per_task: 2, episodes: 2 } });
    expect(validation.metrics.score).toBeCloseTo(0.5 * validation.metrics.hl + 0.5 * validation.metrics.cov, 12);
    expect(rows(store, "SELECT count(*) AS n FROM evolve_programs WHERE run_id = ? AND validation_json IS NOT NULL", run)[0]!.n).toBe(1);
    // Train: λ_c = 0.5·N/N_final = 0.5 here; descriptors [HL, Cov]; objectives add 1 − flag rate.
    const metrics = JSON.parse(program("g0-seed").metrics_json);
    expect(metrics.score).toBeCloseTo(0.5 * metrics.hl + 0.5 * metrics.cov, 12);
    expect(JSON.parse(program("g0-seed").descriptors_json)).toEqual([metrics.hl, metrics.cov]);
    expect(JSON.parse(program("g0-seed").objectives_json)).toEqual([metrics.hl, metrics.cov, metrics.fidelity]);
    expect(JSON.parse(program("g0-seed").artifacts_json).reflection).toContain("too polite");

    // Grid: the seed owns its cell; equal-scoring children on its island do not displace it.
    const summary = summarizeEvolution(store, run);
    const bins = summary.options.grid_bins;
    const cell: [number, number] = [Math.min(bins - 1, Math.floor(metrics.hl * bins)), Math.min(bins - 1, Math.floor(metrics.cov * bins))];
    expect(summary.islands[0]!.grid).toContainEqual({ bins: cell, id: "g0-seed", score: metrics.score });
    expect(summary.islands[1]!.grid.map((c) => c.id)).toContain("g0-m0");
    // Early stop: committed once the counter reached 3; the final program is the validated one.
    const generations = rows(store, "SELECT generation, since_best FROM evolve_generations WHERE run_id = ? ORDER BY generation", run);
    expect(generations.at(-1)).toEqual({ generation: 2, since_best: 4 });
    expect(out.final.id).toBe("g0-seed");
    expect(out.best_validation.id).toBe("g0-seed");

    // The web UI's data for the run passes the server's own schema.
    const dash = EvolveDashboardData.parse(evolveDashboard(store, run, {}));
    expect(dash.children.find((c) => c.program === program("g1-s1-a0").code_sha)).toMatchObject({ accepted: false, reason: expect.stringContaining("duplicate") });
    expect(dash.grids.map((g) => g.cells.length)).toEqual(summary.islands.map((i) => i.cells));
    expect(dash.iterations.find((i) => i.iteration === 0)).toMatchObject({ island: 0, validation: validation.metrics.score });
    const seedSha: string = program("g0-seed").code_sha;
    store.close();

    const show = await ppol(["run", "show", run, "--json"]);
    const detail = JSON.parse(show.out);
    expect(detail.evolve.bootstrap.discriminator_id).toBe(boot.discriminator_id);
    expect(detail.evolve.summary.lineageDepth).toBeGreaterThanOrEqual(1);
    expect(detail.next).toContain(`ppol export program ${seedSha.slice(0, 12)}`);
  });

  sharedTest("a run that fails mid-way resumes without redoing its bootstrap or its finished evaluations", async () => {
    fake.reset();
    script(fake);
    // The first mutator call fails for good (a 4xx is not retried): the run fails after the seed's evaluation.
    fake.fault({ kind: "server_error", status: 400, message: "scripted failure" }, { match: { role: "mutator" }, times: 1 });
    const { ppol, db } = await setUp({ ...TINY, iterations: "2", early_stop: "0" });
    const failed = await ppol(["evolve", "--domain", "airline", "--human", "people", "--tasks", "0,1,3", "--json"]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain("scripted failure");
    const store = openStore(db, { readonly: true });
    const run = (rows(store, "SELECT id FROM runs WHERE kind = 'evolve'")[0]!.id as string);
    expect(rows(store, "SELECT status FROM runs WHERE id = ?", run)[0]!.status).toBe("failed");
    const before = { boot: getEvolveBootstrap(store, run)!, base: rows(store, "SELECT id, created_at FROM episodes WHERE run_id = ?", `${run}.base`), seed: rows(store, "SELECT evaluated_at FROM evolve_programs WHERE run_id = ? AND id = 'g0-seed'", run)[0] };
    store.close();
    const baseCalls = () => fake.requests.filter((q) => q.role === "user" && !q.system.includes("YOUR BEHAVIORAL STYLE")).length;
    const calls = baseCalls();

    const resumed = await ppol(["evolve", "--resume", run, "--parallel", "2", "--json"]);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out)).toMatchObject({ run_id: run, status: "done", iterations: 2 });
    const after = openStore(db, { readonly: true });
    expect(getEvolveBootstrap(after, run)).toEqual(before.boot);
    expect(rows(after, "SELECT id, created_at FROM episodes WHERE run_id = ?", `${run}.base`)).toEqual(before.base);
    expect(rows(after, "SELECT evaluated_at FROM evolve_programs WHERE run_id = ? AND id = 'g0-seed'", run)[0]).toEqual(before.seed);
    expect(baseCalls()).toBe(calls);
    expect((after.db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check).toBe("ok");
    after.close();
  });
});
