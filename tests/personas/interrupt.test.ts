/**
 * Ctrl-C during persona generation (`ppol personas`, and the persona phase of `ppol simulate --program`):
 * the run is marked interrupted, nothing finished is lost, and `--resume` generates only what is missing.
 * Real child processes (the CLI from source), SIGINT, the fake server slowed down so the signal lands mid-run.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRun, listRuns, openStore, personaTaskOutcomes } from "../../src/store/index.ts";
import { MAIN, runCli } from "../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI, text } from "../support/fake-openai.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { population, WORDS_180 } from "./_scripted.ts";

setDefaultTimeout(180_000);

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 150 });
  fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(2) })));
  fake.reply({ role: "generator" }, text(WORDS_180));
  fake.reply({ role: "agent" }, text("Done, anything else?"));
  fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 3 ? "ok ###STOP###" : "hi"));
});
afterAll(() => fake.stop());

const env = { PPOL_CACHE: TEST_CACHE_ROOT, NO_COLOR: "1" };
const common = (db: string) => ["--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--tau2-data", sharedPath("tau2", "domains"), "--db", db];

/** Poll the archive until `count()` reaches n (or 60 s pass). */
async function waitFor(db: string, count: (store: ReturnType<typeof openStore>) => number, n: number) {
  for (let i = 0; i < 1200; i++) {
    await Bun.sleep(50);
    try {
      const s = openStore(db, { readonly: true });
      const c = count(s);
      s.close();
      if (c >= n) return c;
    } catch {
      // not created yet
    }
  }
  throw new Error("timed out waiting for the child");
}

async function interruptAfter(args: string[], cwd: string, db: string, ready: (s: ReturnType<typeof openStore>) => number) {
  const child = Bun.spawn([process.execPath, MAIN, ...args], { cwd, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  await waitFor(db, ready, 1);
  child.kill("SIGINT");
  const [code, stdout] = await Promise.all([child.exited, new Response(child.stdout).text()]);
  return { code, stdout };
}

const personaTasks = (s: ReturnType<typeof openStore>) => (s.db.query("SELECT count(*) AS n FROM persona_tasks").get() as { n: number }).n;

sharedTest("ppol personas: Ctrl-C marks the run interrupted; --resume generates only the missing tasks", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-personas-int-"));
  const db = join(cwd, "a.sqlite");
  const first = await interruptAfter(["personas", "--domain", "retail", "--tasks", "0,1,2,3,4,5", "--n", "2", "--concurrency", "1", "--json", ...common(db)], cwd, db, personaTasks);
  expect(first.code).toBe(1);
  expect(JSON.parse(first.stdout).status).toBe("interrupted");
  const store = openStore(db);
  const [run] = listRuns(store, { kind: "personas" });
  expect(run!.status).toBe("interrupted");
  const before = personaTaskOutcomes(store, run!.id);
  expect(before.length).toBeGreaterThanOrEqual(1);
  expect(before.length).toBeLessThan(6);

  const resumed = await runCli(["personas", "--resume", run!.id, "--json", ...common(db)], { cwd, env });
  expect(resumed.code).toBe(0);
  const doc = JSON.parse(resumed.out);
  expect(doc.status).toBe("done");
  expect(doc.tasks.map((t: { task_id: string }) => t.task_id)).toEqual(["0", "1", "2", "3", "4", "5"]);
  const after = personaTaskOutcomes(store, run!.id);
  expect(after).toHaveLength(6);
  expect(getRun(store, run!.id)!.status).toBe("done");
  const resumeAgain = await runCli(["personas", "--resume", run!.id, ...common(db)], { cwd, env });
  expect(resumeAgain.code).toBe(2);
  expect(resumeAgain.err).toContain("that run is finished");
  store.close();
});

sharedTest("ppol simulate --program: Ctrl-C in the persona phase interrupts the run; --resume finishes personas, then episodes", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-sim-program-int-"));
  const db = join(cwd, "a.sqlite");
  const first = await interruptAfter(["simulate", "--domain", "airline", "--tasks", "0,1,2,3,4,5,6,7", "--program", "seed:ppol", "--n", "2", "--no-judge", "--max-steps", "6", "--json", ...common(db)], cwd, db, personaTasks);
  expect(first.code).toBe(1);
  expect(JSON.parse(first.stdout).status).toBe("interrupted");
  const store = openStore(db);
  const [sim] = listRuns(store, { kind: "simulate" });
  const [personas] = listRuns(store, { kind: "personas" });
  expect([sim!.status, personas!.status]).toEqual(["interrupted", "interrupted"]);
  expect((store.db.query("SELECT count(*) AS n FROM episodes").get() as { n: number }).n).toBe(0);

  const resumed = await runCli(["simulate", "--resume", sim!.id, "--json", ...common(db)], { cwd, env });
  expect(resumed.code).toBe(0);
  const doc = JSON.parse(resumed.out);
  expect(doc.status).toBe("done");
  expect(doc.planned).toBe(16); // 8 tasks × 2 personas
  expect(getRun(store, personas!.id)!.status).toBe("done");
  expect(personaTaskOutcomes(store, personas!.id)).toHaveLength(8);
  store.close();
});
