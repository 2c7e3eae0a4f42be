/**
 * `ppol evolve` on bad input: one line on stderr, exit 2 (bad usage or input) or 1 (a spent budget),
 * and an archive left consistent — no evolve run is created for input refused up front.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEvolveRun, createRun, openStore, setEvolveRunStatus } from "../../../src/store/index.ts";
import { runCli } from "../../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../../support/fake-openai/index.ts";
import { TEST_CACHE_ROOT } from "../../support/python.ts";
import { sharedPath, sharedTest } from "../../support/shared.ts";
import { SEED, script, writeConfig, writeHumans } from "./_kit.ts";

setDefaultTimeout(120_000);

let fake: FakeOpenAI;
let dir: string;
const env = { PPOL_CACHE: TEST_CACHE_ROOT };
const ppol = (args: string[]) => runCli([...args, "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(dir, "a.sqlite"), "--tau2-data", sharedPath("tau2/domains")], { cwd: dir, env });
const EVOLVE = ["evolve", "--domain", "airline", "--human", "people", "--tasks", "0,1,3"];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  script(fake);
  dir = mkdtempSync(join(tmpdir(), "ppol-evolve-cli-"));
  writeConfig(dir, { iterations: "2", islands: "2", batch_size: "2", personas_schedule: "[[1, 2]]", personas_final: "2" });
});
afterAll(() => fake.stop());

function evolveRuns(): { n: number; ok: string } {
  const store = openStore(join(dir, "a.sqlite"), { readonly: true });
  const n = (store.db.query("SELECT count(*) AS n FROM runs WHERE kind = 'evolve'").get() as { n: number }).n;
  const ok = (store.db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
  store.close();
  return { n, ok };
}

async function refused(args: string[], code: number, message: string | RegExp) {
  const before = evolveRuns().n;
  const r = await ppol(args);
  expect(r.code).toBe(code);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toMatch(message);
  expect(evolveRuns()).toEqual({ n: before, ok: "ok" });
}

describe("ppol evolve refuses bad input", () => {
  sharedTest("set-up: two stored sets and a discriminator on another cue set", async () => {
    expect((await ppol(["human", "import", writeHumans(dir), "--format", "jsonl", "--name", "people", "--split", "train"])).code).toBe(0);
    expect((await ppol(["human", "import", writeHumans(dir), "--format", "jsonl", "--name", "others", "--kind", "simulator", "--split", "train"])).code).toBe(0);
    const trained = await ppol(["discriminator", "train", "--human", "people", "--simulator", "others", "--cues", "ppol-cues-1", "--json"]);
    expect(trained.code).toBe(0);
    writeFileSync(join(dir, "disc.id"), JSON.parse(trained.out).id);
  });

  sharedTest("unknown domain, human set, discriminator; a simulator set as --human", async () => {
    await refused(["evolve", "--domain", "mars", "--human", "people"], 2, /mars/);
    await refused(["evolve", "--domain", "airline", "--human", "nobody", "--tasks", "0,1,3"], 2, /--human nobody: no human reference set .*stored human sets: people/);
    await refused(["evolve", "--domain", "airline", "--human", "others", "--tasks", "0,1,3"], 2, /--human others: no human reference set/);
    await refused([...EVOLVE, "--discriminator", "d-000000000000"], 2, /no discriminator "d-000000000000"/);
  });

  sharedTest("a discriminator trained on another cue set", async () => {
    const id = await Bun.file(join(dir, "disc.id")).text();
    await refused([...EVOLVE, "--discriminator", id], 2, new RegExp(`--discriminator ${id} was trained on cue set "ppol-cues-1.*", but this run fingerprints with "ref`));
  });

  sharedTest("a program without EVOLVE-BLOCKs, a single task, an unknown [evolve] key, missing flags", async () => {
    writeFileSync(join(dir, "flat.py"), SEED.replace("# EVOLVE-BLOCK-START\n", "").replace("# EVOLVE-BLOCK-END\n", ""));
    await refused([...EVOLVE, "--program", "flat.py"], 2, /seed program: no EVOLVE-BLOCK-START/);
    await refused(["evolve", "--domain", "airline", "--human", "people", "--tasks", "0"], 2, /--tasks: 1 task\(s\) selected/);
    await refused(["evolve", "--domain", "airline"], 2, /--domain and --human are required/);
    writeFileSync(join(dir, "bad.toml"), "[evolve]\nislandz = 3\n");
    await refused([...EVOLVE, "--config", "bad.toml"], 2, /\[evolve\]: unknown key "islandz" \(did you mean "islands"\?\)/);
  });

  sharedTest("--resume: unknown, not an evolve run, finished, or with plan flags", async () => {
    await refused(["evolve", "--resume", "evolve-nope"], 2, /--resume evolve-nope: no run with that id/);
    const store = openStore(join(dir, "a.sqlite"));
    const now = new Date();
    createRun(store, { id: "sim-other", kind: "simulate", config: {}, version: "test", now });
    createEvolveRun(store, { id: "evolve-finished", config: {}, options: {}, problemSha: "x", seed: 42, version: "test", now });
    setEvolveRunStatus(store, "evolve-finished", { status: "done", stop_reason: "iterations", final_id: null, now });
    store.close();
    await refused(["evolve", "--resume", "evolve-finished"], 2, /--resume evolve-finished: the run is already finished/);
    await refused(["evolve", "--resume", "evolve-finished", "--domain", "airline"], 2, /--resume keeps the run's plan: drop --domain/);
    await refused(["evolve", "--resume", "sim-other"], 2, /--resume sim-other: it is a simulate run, not an evolve run/);
  });

  sharedTest("no model server: one line naming the address and the fix, before any run exists", async () => {
    const before = evolveRuns().n;
    const r = await runCli([...EVOLVE, "--endpoint", "http://127.0.0.1:1/v1", "--db", join(dir, "a.sqlite"), "--tau2-data", sharedPath("tau2/domains")], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^ppol: no model server answers at http:\/\/127\.0\.0\.1:1\/v1 \(endpoint "cli", roles mutator, generator, user, agent, reflector: .*\) — start it \(Ollama: `ollama serve`/);
    expect(evolveRuns()).toEqual({ n: before, ok: "ok" });
  });

  sharedTest("a spent budget stops the run as interrupted (exit 1) with the command that continues it", async () => {
    const r = await ppol([...EVOLVE, "--max-tokens", "1", "--json"]);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/ppol: LLM budget reached .*continue with `ppol evolve --resume evolve-\S+`/);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ status: "interrupted", stop_reason: "budget", evaluations: 0 });
    const store = openStore(join(dir, "a.sqlite"), { readonly: true });
    expect((store.db.query("SELECT status FROM runs WHERE id = ?").get(out.run_id) as { status: string }).status).toBe("interrupted");
    expect((store.db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check).toBe("ok");
    store.close();
  });
});
