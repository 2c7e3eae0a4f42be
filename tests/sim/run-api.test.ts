/**
 * The sim stage as a library (what the evolution engine, the server and bundles call), without the CLI:
 * startRun plans, creates and executes a run and records its plan; resumeRun of a finished run redoes
 * nothing; an interrupted run resumes to the same set of episodes.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlm } from "../../src/llm/index.ts";
import { resumeRun, RunPlan, type SimRunDeps, startRun } from "../../src/sim/index.ts";
import { getRun, listEpisodes, listRunEvents, openStore } from "../../src/store/index.ts";
import { loadDomainDir } from "../../src/tau2/index.ts";
import { type FakeOpenAI, startFakeOpenAI, text } from "../support/fake-openai.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.reply({ role: "agent" }, text("Sure, anything else?"));
  fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 3 ? "bye ###STOP###" : "hello"));
});
afterAll(() => fake.stop());

sharedTest("startRun / resumeRun drive a whole run with injected dependencies", async () => {
  const store = openStore(join(mkdtempSync(join(tmpdir(), "ppol-sim-api-")), "a.sqlite"));
  const config = fake.config();
  const domain = loadDomainDir(sharedPath("tau2/domains"), "airline");
  const abort = new AbortController();
  let episodesSeen = 0;
  const deps: SimRunDeps = {
    store,
    config,
    llm: (runId) => createLlm({ config, store, runId }),
    domain: () => domain,
    cwd: tmpdir(),
    version: "test",
    concurrency: 1,
    signal: abort.signal,
    // Stop after the second episode: the run must end interrupted with exactly what finished stored.
    onEpisode: () => void (++episodesSeen === 2 && abort.abort()),
  };
  const input = { domain, taskIds: ["0", "1", "2"], personas: "suite:impatient", trials: 1, maxSteps: 8, judge: false, fidelityJudge: false, strictToolJson: false, toolSchemas: undefined };
  const first = await startRun(deps, input);
  expect(first.status).toBe("interrupted");
  expect(first.ran).toBe(2);
  const plan = RunPlan.parse(JSON.parse(getRun(store, first.runId)!.config_json).plan);
  expect(plan).toMatchObject({ domain: "airline", task_ids: ["0", "1", "2"], personas: "suite:impatient", generated: false, max_steps: 8 });

  const second = await resumeRun({ ...deps, signal: undefined, onEpisode: undefined }, first.runId);
  expect(second.status).toBe("done");
  expect([second.ran, second.skipped, second.planned]).toEqual([9 - 2, 2, 9]); // 3 tasks × 3 suite personas
  expect(listEpisodes(store, first.runId)).toHaveLength(9);
  expect(listRunEvents(store, first.runId).map((e) => e.status)).toEqual(["running", "interrupted", "running", "done"]);

  const third = await resumeRun({ ...deps, signal: undefined, onEpisode: undefined }, first.runId);
  expect([third.ran, third.skipped, third.status]).toEqual([0, 9, "done"]);
  store.close();
}, 120_000);
