/**
 * Failures are visible and retried (issue 11 item 4): a judge whose call fails for good leaves the episode
 * `evaluation: failed` (counted apart from "no judge") and `--resume` redoes exactly those episodes; a
 * failed fidelity judge is recorded as failed, never as "no flags".
 */
import { afterAll, beforeAll, beforeEach, expect } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listEpisodes, openStore } from "../../src/store/index.ts";
import { startFakeOpenAI, text, type FakeOpenAI } from "../support/fake-openai/index.ts";
import { runCli } from "../support/cli.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
beforeEach(() => {
  fake.reset();
  fake.reply({ role: "agent" }, text("Done, anything else?"));
  fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 3 ? "thanks ###STOP###" : "hi, i need help with an order"));
});
afterAll(() => fake.stop());

/** A scratch folder whose ppol.toml retries fast (a failing judge is retried before it counts as failed). */
function scratch(prefix: string): string {
  const cwd = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(cwd, "ppol.toml"), "[llm]\nmax_attempts = 2\nbackoff_base_ms = 5\nbackoff_max_ms = 20\nbreaker_failures = 100\n");
  return cwd;
}

async function simulate(cwd: string, args: string[]) {
  const r = await runCli(["simulate", "--json", "--concurrency", "1", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(cwd, "a.sqlite"), ...args], { cwd });
  return { ...r, doc: r.out ? JSON.parse(r.out) : undefined };
}

sharedTest("a judge call that fails for good is a failed evaluation; --resume redoes exactly those episodes", async () => {
  const cwd = scratch("ppol-judge-fail-");
  // Retail task 2 has an NL assertion (the judge is asked); task 0 has none (no judge call).
  fake.fault({ kind: "server_error", status: 500 }, { match: { role: "judge" }, times: 1000 });
  const first = await simulate(cwd, ["--domain", "retail", "--tasks", "0,2", "--trials", "2"]);
  expect(first.code).toBe(0);
  expect(first.doc.summary.excluded).toEqual({ infrastructure_error: 0, not_evaluated: 0, evaluation_failed: 2, unparseable: 0 });
  const store = openStore(join(cwd, "a.sqlite"));
  const before = listEpisodes(store, first.doc.run_id);
  expect(before.map((e) => [e.task_id, e.evaluation, e.reward])).toEqual([
    ["0", "evaluated", 0],
    ["0", "evaluated", 0],
    ["2", "failed", null],
    ["2", "failed", null],
  ]);
  expect(before[2]!.error).toMatch(/^evaluation failed: .*500/);

  // The judge works again: only the two failed episodes are redone (their conversation replays from the archive).
  fake.reset();
  fake.reply({ role: "judge" }, text('{"results": [{"assertion": 0, "met": false, "reason": "not said"}]}'));
  const second = await simulate(cwd, ["--resume", first.doc.run_id]);
  expect(second.code).toBe(0);
  expect([second.doc.ran, second.doc.skipped]).toEqual([2, 2]);
  expect(second.doc.summary.excluded.evaluation_failed).toBe(0);
  expect(fake.requests.map((r) => r.role)).toEqual(["judge", "judge"]);
  const after = listEpisodes(store, first.doc.run_id);
  expect(after.map((e) => e.evaluation)).toEqual(["evaluated", "evaluated", "evaluated", "evaluated"]);
  expect(after[0]!.created_at).toBe(before[0]!.created_at);
  store.close();
}, 120_000);

sharedTest("a failed fidelity judge is recorded as a failed evaluation, not as 'no flags'", async () => {
  const cwd = scratch("ppol-fidelity-fail-");
  fake.fault({ kind: "server_error", status: 500 }, { match: { role: "judge" }, times: 1000 });
  const r = await simulate(cwd, ["--domain", "airline", "--tasks", "11", "--fidelity-judge"]);
  expect(r.code).toBe(0);
  const store = openStore(join(cwd, "a.sqlite"));
  const [e] = listEpisodes(store, r.doc.run_id);
  store.close();
  expect(e!.evaluation).toBe("failed");
  expect(e!.error).toMatch(/^fidelity judge failed: /);
  expect(r.doc.summary.excluded.evaluation_failed).toBe(1);
}, 120_000);
