/**
 * kill -9 at random moments of a scripted run in a child process, each followed by resume: the archive
 * stays intact, no finished proposal or evaluation is redone, and the end result equals an
 * uninterrupted run with the same seed.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveSeed, llmMutator, startEvolution } from "../../src/evolve/index.ts";
import { createLlm } from "../../src/llm/index.ts";
import { createRng } from "../../src/rng.ts";
import { getRun, openStore } from "../../src/store/index.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai/index.ts";
import { archiveOf, type Behaviour, mutatorReply, problem, syntheticEvaluator } from "./_kit.ts";

const OPTIONS = { islands: 3, iterations: 36, migration_interval: 2, parallel: 2, max_proposals: 2, early_stop: 0, seed: 42 };
const at = (g: number, s: number, a: number) => deriveSeed(42, "mutate", g, s, a);
const script = new Map<number, Behaviour>([[at(1, 0, 0), "bad_once"], [at(2, 1, 0), "unchanged"], [at(3, 2, 0), "fail"], [at(5, 0, 0), "check_fail"]]);

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 25 });
  fake.reply({ role: "mutator" }, mutatorReply(script));
});
afterAll(() => fake.stop());

const CHILD = join(import.meta.dir, "_child.ts");

/** Anything the child writes: program rows, evaluations, generation commits. */
function progress(db: string): number {
  try {
    const s = openStore(db, { readonly: true });
    const r = s.db.query("SELECT (SELECT count(*) FROM evolve_programs) + (SELECT count(*) FROM evolve_programs WHERE evaluated_at IS NOT NULL) + (SELECT count(*) FROM evolve_generations) AS n").get() as { n: number };
    s.close();
    return r.n;
  } catch {
    return 0; // not created yet
  }
}

test("kill -9 at ≥ 10 random moments, resume after each: nothing lost or repeated, same result as an uninterrupted run", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ppol-evolve-kill-"));
  const db = join(dir, "a.sqlite");
  const rng = createRng(7);
  const seen = new Map<string, string>(); // id → created_at|evaluated_at once finished
  let kills = 0;
  for (let k = 0; k < 14 && kills < 10; k++) {
    const started = (() => {
      const s = openStore(db);
      const r = getRun(s, "killed");
      s.close();
      return r !== undefined;
    })();
    const child = Bun.spawn([process.execPath, CHILD, db, "killed", fake.baseUrl, started ? "resume" : "start", JSON.stringify(OPTIONS)], { stdout: "pipe", stderr: "pipe" });
    const before = progress(db);
    const wanted = before + 1 + rng.int(4);
    let exited = false;
    void child.exited.then(() => (exited = true));
    while (!exited && progress(db) < wanted) await Bun.sleep(5);
    if (!exited) await Bun.sleep(rng.int(40));
    if (exited) {
      expect(await new Response(child.stderr).text()).toBe("");
      break; // finished before this kill
    }
    child.kill(9);
    await child.exited;
    kills++;
    const s = openStore(db);
    expect((s.db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check).toBe("ok");
    for (const r of s.db.query("SELECT id, created_at, evaluated_at, status FROM evolve_programs WHERE run_id = 'killed'").all() as any[]) {
      const stamp = `${r.created_at}|${r.evaluated_at}`;
      if (seen.has(r.id)) expect(`${r.id} ${stamp}`).toBe(`${r.id} ${seen.get(r.id)}`);
      else if (r.status !== "proposed") seen.set(r.id, stamp);
    }
    s.close();
  }
  expect(kills).toBeGreaterThanOrEqual(10);

  const last = Bun.spawn([process.execPath, CHILD, db, "killed", fake.baseUrl, "resume", JSON.stringify(OPTIONS)], { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([last.exited, new Response(last.stdout).text(), new Response(last.stderr).text()]);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(JSON.parse(out).status).toBe("done");

  // The same run without interruption, in this process, in another archive.
  const ref = openStore(join(dir, "ref.sqlite"));
  const llm = createLlm({ config: fake.config(), store: ref, runId: "killed", cacheMode: "rw", env: {} });
  await startEvolution({ store: ref, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(llm) }, { runId: "killed", options: OPTIONS });
  await llm.close();

  const s = openStore(db);
  expect((s.db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check).toBe("ok");
  for (const r of s.db.query("SELECT id, created_at, evaluated_at FROM evolve_programs WHERE run_id = 'killed'").all() as any[])
    if (seen.has(r.id)) expect(`${r.id} ${r.created_at}|${r.evaluated_at}`).toBe(`${r.id} ${seen.get(r.id)}`);
  const killed = archiveOf(s.db, "killed");
  expect(killed.programs.length).toBeGreaterThan(40);
  expect(killed).toEqual(archiveOf(ref.db, "killed"));
}, 120_000);
