/**
 * `ppol benchmark` end to end against the fake server and the real τ² data: every file is written, and the
 * numbers in report.json are recomputed here from the archive with fitness primitives (never trusting the
 * report's own code path). Also --resume of a finished benchmark and bad input.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conversationSources, runConversations, toJsonl } from "../../src/conversations/index.ts";
import { cueSetByVersion, fingerprint, loadDiscriminatorModel, pHuman, prepareCloud, taskCoverage, toVector } from "../../src/fitness/index.ts";
import { type Conversation, userTurns } from "../../src/model/index.ts";
import { SEED_PROGRAMS } from "../../src/personas/index.ts";
import { createEvolveRun, createRun, fitnessArchive, getRun, insertEvolveProgram, listEpisodes, openStore, saveEvolveBootstrap, setEvolveRunStatus } from "../../src/store/index.ts";
import { runCli } from "../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI, text } from "../support/fake-openai/index.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { scriptTerseAndPoliteUsers } from "../support/scripted-users.ts";
import { population, WORDS_180 } from "../personas/_scripted.ts";

setDefaultTimeout(180_000);
const dir = mkdtempSync(join(tmpdir(), "ppol-benchmark-"));
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  scriptTerseAndPoliteUsers(fake, "Hello! I would like to change my upcoming reservation, please. Thank you very much.");
  fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(2) })));
  fake.reply({ role: "generator" }, text(WORDS_180));
  const terse = ["need refund", "order W123", "yes", "no", "ugh fine", "why so slow", "ok", "cancel it", "wrong one", "idk maybe"];
  const humans: Conversation[] = Array.from({ length: 30 }, (_, i) => ({
    id: `h${i}`, source: "human", domain: "airline", task_id: String(i % 10),
    messages: Array.from({ length: 3 + (i % 3) }, (_, j) => [{ role: "assistant" as const, content: "How can I help?" }, { role: "user" as const, content: terse[(i * 3 + j) % terse.length]! }]).flat(),
    meta: {},
  }));
  writeFileSync(join(dir, "humans.jsonl"), toJsonl(humans));
});
afterAll(() => fake.stop());

const env = { PPOL_CACHE: TEST_CACHE_ROOT };
async function ppol(...argv: string[]) {
  return runCli([...argv, "--db", join(dir, "a.sqlite"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--tau2-data", sharedPath("tau2/domains")], { cwd: dir, env });
}
async function ok(...argv: string[]) {
  const r = await ppol(...argv);
  if (r.code !== 0) throw new Error(`ppol ${argv.join(" ")} → ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
}

sharedTest("a benchmark writes every file, and its numbers are what the archive gives", async () => {
  const base = await ok("simulate", "--domain", "airline", "--tasks", "10,11,12,13,14,15", "--no-judge", "--max-steps", "10", "--json");
  await ok("human", "import", "humans.jsonl", "--format", "jsonl", "--name", "people", "--split", "hash", "--json");
  const disc = await ok("discriminator", "train", "--human", "people", "--simulator", base.run_id, "--trees", "30", "--json");

  const r = await ok("benchmark", "--domain", "airline", "--tasks", "0,1,2", "--human", "people", "--discriminator", disc.id, "--conditions", "humans,base,ppol-initial,ood:impatient", "--personas-per-task", "2", "--max-steps", "10", "--out", "table1", "--json");
  expect(r.status).toBe("done");
  for (const f of ["report.md", "report.json", "report.csv", "fingerprints-pca.svg", "features.svg"]) expect(existsSync(join(dir, "table1", f))).toBe(true);
  const report = JSON.parse(readFileSync(join(dir, "table1", "report.json"), "utf8"));
  expect(report.agents.map((a: any) => a.conditions.map((c: any) => c.name))).toEqual([["humans"], ["base", "ppol-initial", "ood:impatient"]]);

  // Recompute base and ood:impatient from the archive: episodes, mean reward, HL and Cov.
  const store = openStore(join(dir, "a.sqlite"));
  const plan = JSON.parse(getRun(store, r.run_id)!.config_json).plan;
  const model = loadDiscriminatorModel(fitnessArchive(store), disc.id);
  const cues = cueSetByVersion(model.provenance.cue_version)!;
  const cloud = prepareCloud(conversationSources({ store: () => store }).set("people", { split: "train" }).conversations.map((c) => toVector(fingerprint(userTurns(c), cues))), { space: "raw" });
  for (const name of ["base", "ood:impatient"]) {
    const runId = plan.sim_runs[`0:${name}`];
    const episodes = listEpisodes(store, runId);
    const convs = runConversations(store, runId, model.provenance.preparation)!;
    const fps = convs.map((c) => fingerprint(userTurns(c), cues));
    const hl = fps.reduce((s, f) => s + pHuman(model, f), 0) / fps.length;
    const tasks = [...new Set(convs.map((c) => c.task_id!))];
    const cov = tasks.reduce((s, t) => s + taskCoverage(convs.flatMap((c, i) => (c.task_id === t ? [toVector(fps[i]!)] : [])), cloud), 0) / tasks.length;
    const reward = episodes.filter((e) => e.reward !== null).reduce((s, e) => s + e.reward!, 0) / episodes.filter((e) => e.reward !== null).length;
    const row = report.agents[1].conditions.find((c: any) => c.name === name);
    expect(row.episodes).toBe(episodes.length);
    expect(row.tasks).toBe(3);
    expect(row.metrics.hl.value).toBeCloseTo(hl, 10);
    expect(row.metrics.cov.value).toBeCloseTo(cov, 10);
    expect(row.metrics.score.value).toBeCloseTo(0.5 * hl + 0.5 * cov, 10);
    expect(row.metrics.reward.value).toBeCloseTo(reward, 10);
    expect(row.metrics.hl.lo).toBeLessThanOrEqual(row.metrics.hl.value);
    expect(row.metrics.hl.hi).toBeGreaterThanOrEqual(row.metrics.hl.value);
  }
  expect(report.agents[1].conditions.find((c: any) => c.name === "ood:impatient").episodes).toBe(9); // 3 tasks × 3 suite users
  expect(report.agents[1].conditions.find((c: any) => c.name === "ppol-initial").episodes).toBe(6); // 3 tasks × 2 generated users

  // The report and plots are kept with the run; resuming a finished benchmark redoes nothing.
  const artifacts = store.db.query("SELECT name FROM run_artifacts WHERE run_id = ? ORDER BY name").all(r.run_id) as { name: string }[];
  expect(artifacts.map((a) => a.name)).toEqual(["features.svg", "fingerprints-pca.svg", "report.csv", "report.json", "report.md"]);
  const episodesBefore = (store.db.query("SELECT count(*) AS n FROM episodes").get() as { n: number }).n;
  const again = await ok("benchmark", "--resume", r.run_id, "--json");
  expect(again.report.agents[1].conditions.map((c: any) => c.metrics.hl.value)).toEqual(report.agents[1].conditions.map((c: any) => c.metrics.hl.value));
  expect((store.db.query("SELECT count(*) AS n FROM episodes").get() as { n: number }).n).toBe(episodesBefore);

  // --evolved RUN: the evolve run's chosen program is the ppol-evolved condition, and its discriminator the default.
  createEvolveRun(store, { id: "evolve-done", config: {}, options: {}, problemSha: "x", seed: 42, version: "test", now: new Date() });
  const program = { run_id: "evolve-done", id: "g3-s1-a0", kind: "child" as const, generation: 3, slot: 1, attempt: 0, island: 1, parent_id: null, source_id: null, code: SEED_PROGRAMS.ppol!.code, code_sha: "sha", diff: "", angle: null, mutator_model: null, mutator_target: null, request_hashes_json: "[]", tokens: 0, status: "evaluated" as const, reason: null, error: null, metrics_json: '{"score":0.5}', descriptors_json: "[0.5,0.5]", objectives_json: "[]", artifacts_json: "{}", validation_json: null, created_at: new Date().toISOString(), evaluated_at: null };
  insertEvolveProgram(store, program);
  setEvolveRunStatus(store, "evolve-done", { status: "done", stop_reason: "iterations", final_id: "g3-s1-a0", now: new Date() });
  saveEvolveBootstrap(store, { run_id: "evolve-done", base_run_id: null, discriminator_id: disc.id }, new Date());
  const evolved = await ok("benchmark", "--domain", "airline", "--tasks", "0,1", "--human", "people", "--evolved", "evolve-done", "--conditions", "ppol-evolved", "--personas-per-task", "2", "--max-steps", "6", "--json");
  expect(evolved.report.discriminator).toBe(disc.id);
  expect(evolved.report.agents[0].conditions.map((c: any) => [c.name, c.episodes])).toEqual([["ppol-evolved", 4]]);
  const evolvedPlan = JSON.parse(getRun(store, evolved.run_id)!.config_json).plan;
  expect(evolvedPlan.conditions[0].program.name).toBe("evolve-done:g3-s1-a0");

  // Bad input: exit 2, one line.
  const unknown = await ppol("benchmark", "--domain", "airline", "--human", "people", "--discriminator", disc.id, "--conditions", "base,ppol-evolve");
  expect([unknown.code, unknown.err.split("\n").length]).toEqual([2, 1]);
  expect(unknown.err).toContain('unknown condition "ppol-evolve" (did you mean "ppol-evolved"?)');
  const noParent = await ppol("benchmark", "--domain", "airline", "--human", "people", "--discriminator", disc.id, "--out", "no/such/dir");
  expect(noParent.code).toBe(2);
  expect(noParent.err).toContain("parent folder");
  createRun(store, { id: "evolve-unfinished", kind: "evolve", config: {}, seed: 1, version: "test", now: new Date() });
  const noChoice = await ppol("benchmark", "--domain", "airline", "--human", "people", "--discriminator", disc.id, "--evolved", "evolve-unfinished");
  expect(noChoice.code).toBe(2);
  expect(noChoice.err).toContain("has no chosen program yet");
  store.close();
});
