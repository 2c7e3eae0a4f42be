/**
 * One small end-to-end PPol run (2 islands, 4 iterations, 2 train tasks × 2 personas, a handful of steps)
 * three times: --parallel 1 and --parallel 2 in separate archives give identical archives (programs,
 * metrics, validations, final choice, and the episodes behind them); then, with the server stopped, the
 * same command with --llm-cache ro on the first archive replays to the same again, and in an archive
 * without the recordings it fails naming the missing call's hash and role.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../../support/fake-openai/index.ts";
import { TEST_CACHE_ROOT } from "../../support/python.ts";
import { sharedPath, sharedTest } from "../../support/shared.ts";
import { archiveOf } from "../_kit.ts";
import { script, writeConfig, writeHumans } from "./_kit.ts";

setDefaultTimeout(300_000);

const env = { PPOL_CACHE: TEST_CACHE_ROOT };
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 5 });
  script(fake);
});
afterAll(() => fake.stop());

async function archive(name: string) {
  const dir = mkdtempSync(join(tmpdir(), `ppol-evolve-${name}-`));
  const db = join(dir, "a.sqlite");
  const run = (args: string[], endpoint = fake.baseUrl) => runCli([...args, "--endpoint", endpoint, "--model", "qwen3:8b", "--db", db, "--tau2-data", sharedPath("tau2/domains")], { cwd: dir, env });
  expect((await run(["human", "import", writeHumans(dir), "--format", "jsonl", "--name", "people", "--split", "train"])).code).toBe(0);
  // Validate children above 0.5 too, so validations run beside train evaluations.
  writeConfig(dir, { iterations: "4", islands: "2", batch_size: "2", personas_schedule: "[[1, 2]]", personas_final: "2", early_stop: "0", validation_threshold: "0.5", train_max_steps: "8", validation_max_steps: "8", bootstrap_max_steps: "8" });
  return { db, run };
}

const EVOLVE = ["evolve", "--domain", "airline", "--human", "people", "--tasks", "0,1,3", "--json"];

/** Everything that must not depend on parallelism or on where the answers came from (ids without the run id). */
function contentOf(dbPath: string, runId: string) {
  const db = new Database(dbPath, { readonly: true });
  const episodes = db
    .query(
      `SELECT e.program_id, e.phase, ep.task_id, ep.persona_key, ep.persona_text, ep.termination, ep.messages_json, ep.seed
         FROM evolve_evaluations e JOIN episodes ep ON ep.run_id = e.episodes_run_id WHERE e.run_id = ? ORDER BY e.program_id, e.phase, ep.task_id, ep.persona_key`,
    )
    .all(runId);
  // The discriminator itself; its provenance names the run's own base run, so its id differs between runs.
  const { model } = db.query("SELECT d.model FROM evolve_bootstrap b JOIN discriminators d ON d.id = b.discriminator_id WHERE b.run_id = ?").get(runId) as { model: string };
  const { provenance: _, ...discriminator } = JSON.parse(model);
  const out = { ...archiveOf(db, runId), episodes, discriminator };
  db.close();
  return out;
}

sharedTest("--parallel 1 and 2 give identical archives; --llm-cache ro with the server stopped replays them", async () => {
  const a = await archive("p1");
  const one = await a.run([...EVOLVE, "--parallel", "1"]);
  expect(one.code).toBe(0);
  const b = await archive("p2");
  const two = await b.run([...EVOLVE, "--parallel", "2"]);
  expect(two.code).toBe(0);
  const [runA, runB] = [JSON.parse(one.out).run_id, JSON.parse(two.out).run_id];
  const first = contentOf(a.db, runA);
  expect(first.programs.length).toBeGreaterThanOrEqual(5);
  expect(first.episodes.length).toBeGreaterThanOrEqual(10);
  expect((first.programs as { validation_json: string | null }[]).filter((p) => p.validation_json).length).toBeGreaterThanOrEqual(1);
  expect(contentOf(b.db, runB)).toEqual(first);
  expect(JSON.parse(two.out).final).toEqual(JSON.parse(one.out).final);

  const dead = fake.baseUrl;
  await fake.stop();
  const replay = await a.run([...EVOLVE, "--parallel", "2", "--llm-cache", "ro"], dead);
  expect(replay.err).not.toContain("failed");
  expect(replay.code).toBe(0);
  expect(contentOf(a.db, JSON.parse(replay.out).run_id)).toEqual(first);

  const empty = await archive("ro-miss");
  const miss = await empty.run([...EVOLVE, "--llm-cache", "ro"], dead);
  expect(miss.code).toBe(1);
  expect(miss.err).toMatch(/replay: no recorded answer for the (user|agent) call with request hash [0-9a-f]{16,}/);
});
