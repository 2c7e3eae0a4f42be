/**
 * kill -9 during `ppol simulate`, then `--resume`: no finished episode lost or repeated.
 * The run is a real child process (the CLI from source) talking to the fake server over HTTP.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listEpisodes, listRuns, openStore } from "../../src/store/index.ts";
import { startFakeOpenAI, text, type FakeOpenAI } from "../support/fake-openai/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { runCli } from "../support/cli.ts";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 120 });
  fake.reply({ role: "agent" }, text("Sure, anything else?"));
  fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 3 ? "bye ###STOP###" : "hello"));
});
afterAll(() => fake.stop());

/** Poll the child's archive until it holds `n` finished episodes (or 30 s pass); returns the count. */
async function waitForEpisodes(db: string, n: number): Promise<number> {
  let stored = 0;
  for (let i = 0; i < 600 && stored < n; i++) {
    await Bun.sleep(50);
    try {
      const s = openStore(db, { readonly: true });
      stored = (s.db.query("SELECT count(*) AS n FROM episodes").get() as { n: number }).n;
      s.close();
    } catch {
      // the archive may not exist yet
    }
  }
  return stored;
}

sharedTest("kill -9 mid-run, then --resume: every planned episode exactly once, finished ones untouched", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-resume-"));
  const db = join(cwd, "a.sqlite");
  const args = ["simulate", "--domain", "airline", "--tasks", "0,1,2,3,4,5", "--trials", "2", "--concurrency", "2", "--no-judge", "--json", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", db];
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/cli/main.ts"), ...args], { cwd, stdout: "ignore", stderr: "ignore" });

  // Wait until some, but not all, episodes are stored, then kill without warning.
  const stored = await waitForEpisodes(db, 3);
  child.kill(9);
  await child.exited;
  expect(stored).toBeGreaterThanOrEqual(3);

  const store = openStore(db);
  const [run] = listRuns(store, { kind: "simulate" });
  const before = listEpisodes(store, run!.id);
  store.close();
  expect(before.length).toBeLessThan(12);

  const { code, out } = await runCli(["simulate", "--resume", run!.id, "--json", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", db], { cwd });
  expect(code).toBe(0);
  const doc = JSON.parse(out);
  expect(doc.skipped).toBe(before.length);
  expect(doc.ran).toBe(12 - before.length);

  const after = listEpisodes(openStore(db), run!.id);
  expect(after).toHaveLength(12);
  expect(new Set(after.map((e) => e.id)).size).toBe(12);
  for (const e of before) expect(after.find((a) => a.id === e.id)!.created_at).toBe(e.created_at);
}, 120_000);

sharedTest("Ctrl-C stops cleanly: in-flight episodes finish or are dropped, the run is marked interrupted", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-sigint-"));
  const db = join(cwd, "a.sqlite");
  const args = ["simulate", "--domain", "airline", "--tasks", "0,1,2,3,4,5,6,7", "--concurrency", "2", "--no-judge", "--json", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", db];
  const child = Bun.spawn([process.execPath, join(import.meta.dir, "../../src/cli/main.ts"), ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  await waitForEpisodes(db, 2);
  child.kill("SIGINT");
  const [code, stdout, stderr] = await Promise.all([child.exited, new Response(child.stdout).text(), new Response(child.stderr).text()]);
  expect(stderr).toContain("SIGINT received");
  expect(code).toBe(1);
  const doc = JSON.parse(stdout);
  expect(doc.status).toBe("interrupted");
  const store = openStore(db);
  const [run] = listRuns(store, { kind: "simulate" });
  expect(run!.status).toBe("interrupted");
  const episodes = listEpisodes(store, run!.id);
  expect(episodes.length).toBeGreaterThanOrEqual(2);
  expect(episodes.length).toBeLessThan(8);
  expect(episodes.every((e) => e.termination === "user_stop")).toBe(true);
  store.close();
}, 120_000);
