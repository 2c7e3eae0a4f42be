/**
 * `ppol bundle` on a small PPol evolve run (2 islands, 4 iterations, scripted world of
 * tests/evolve/ppol/_kit.ts): the bundle carries the human reference set, the bootstrap's discriminator
 * and every evaluation run the evolve run made; with the server stopped, verify resumes the run from
 * nothing in a replay archive and finds every program, evaluation and episode identical. An edited stored
 * program is named; import brings the run with its evaluation runs.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openBundle, packBundle } from "../../src/store/index.ts";
import { runCli } from "../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai/index.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";
import { HAS_SHARED, sharedPath, sharedTest } from "../support/shared.ts";
import { script, writeConfig, writeHumans } from "../evolve/ppol/_kit.ts";

setDefaultTimeout(300_000);

const env = { PPOL_CACHE: TEST_CACHE_ROOT };
let fake: FakeOpenAI;
let dir: string;
let runId: string;
const cli = (args: string[]) => runCli(args, { cwd: dir, env });

beforeAll(async () => {
  fake = await startFakeOpenAI();
  script(fake);
  dir = mkdtempSync(join(tmpdir(), "ppol-bundle-evolve-"));
  if (!HAS_SHARED) return;
  const common = ["--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", "a.sqlite", "--tau2-data", sharedPath("tau2/domains")];
  expect((await cli(["human", "import", writeHumans(dir), "--format", "jsonl", "--name", "people", "--split", "train", ...common])).code).toBe(0);
  writeConfig(dir, { iterations: "4", islands: "2", batch_size: "2", personas_schedule: "[[1, 2]]", personas_final: "2", early_stop: "0", validation_threshold: "0.5", train_max_steps: "8", validation_max_steps: "8", bootstrap_max_steps: "8" });
  const evolved = await cli(["evolve", "--domain", "airline", "--human", "people", "--tasks", "0,1,3", "--json", ...common]);
  if (evolved.code !== 0) throw new Error(`evolve failed: ${evolved.err}`);
  runId = JSON.parse(evolved.out).run_id;
  const created = await cli(["bundle", "create", runId, "--out", "evolve.ppol", "--db", "a.sqlite", "--tau2-data", sharedPath("tau2/domains"), "--json"]);
  if (created.code !== 0) throw new Error(`bundle create failed: ${created.err}`);
  await fake.stop();
}, 300_000);
afterAll(() => fake.stop());

sharedTest("an evolve run replays from its bundle to the same programs, evaluations and episodes", async () => {
  const { manifest } = JSON.parse((await cli(["bundle", "info", "evolve.ppol", "--json"])).out);
  const made = manifest.runs.filter((r: { made_by?: string }) => r.made_by === runId);
  expect(manifest.runs[0].id).toBe(runId);
  expect(made.length).toBeGreaterThanOrEqual(5); // the bootstrap's base run and one run per evaluation
  expect(made.every((r: { kind: string }) => r.kind === "simulate")).toBe(true);
  expect(Object.keys(manifest.inputs.sets)).toEqual(["people"]);
  expect(Object.keys(manifest.inputs.discriminators)).toHaveLength(1);
  expect(manifest.counts.evolve_programs).toBeGreaterThanOrEqual(5);
  expect(Object.keys(manifest.outputs[runId].items).filter((k) => k.startsWith("evolve_evaluations/")).length).toBeGreaterThanOrEqual(5);

  const text = await cli(["bundle", "info", "evolve.ppol"]);
  expect(text.out).toContain(`    and ${made.length} runs it made (`);
  expect(text.out).toContain("  conversation set people ");

  // An evaluation run alone is not a replayable run: the evolve run that made it is.
  const child = await cli(["bundle", "create", made[1].id, "--out", "child.ppol", "--db", "a.sqlite"]);
  expect(child.code).toBe(2);
  expect(child.err).toBe(`ppol: run ${made[1].id} is an evaluation of evolve run ${runId}: it replays only as part of that run — bundle the evolve run: ppol bundle create ${runId} --out FILE.ppol`);

  const r = await cli(["bundle", "verify", "evolve.ppol"]);
  expect(r.err).not.toContain("ppol:");
  expect(r.out).toStartWith(`verified: run ${runId} (evolve, done) — `);
  expect(r.code).toBe(0);
});

sharedTest("a stored program edited after the run is named; import brings the evaluation runs along", async () => {
  const opened = openBundle(join(dir, "evolve.ppol"));
  const victim = (opened.store.db.query("SELECT id FROM evolve_programs WHERE run_id = ? AND kind = 'child' AND status = 'evaluated' ORDER BY generation, slot LIMIT 1").get(runId) as { id: string }).id;
  opened.store.db.run(`UPDATE evolve_programs SET metrics_json = replace(metrics_json, '"score":', '"score":0.9+') WHERE run_id = '${runId}' AND id = '${victim}'`);
  writeFileSync(join(dir, "edited.ppol"), packBundle(opened.store));
  opened.close();
  const edited = await cli(["bundle", "verify", "edited.ppol"]);
  expect(edited.code).toBe(1);
  expect(edited.out).toStartWith(`NOT verified: program ${victim}: its stored content differs from the manifest`);

  const imported = await cli(["bundle", "import", "evolve.ppol", "--db", "b.sqlite", "--json"]);
  expect(imported.code).toBe(0);
  const { imported: ids } = JSON.parse(imported.out);
  expect(ids[0]).toBe(runId);
  expect(ids.length).toBeGreaterThanOrEqual(6);
  const shown = await cli(["run", "show", runId, "--db", "b.sqlite", "--json"]);
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.out).status).toBe("done");
});
