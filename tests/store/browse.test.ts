import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { episodesPage, llmCallsPage, openReadStore, openStore, personasPage, programsPage, runNumbers, runsPage, SCHEMA_VERSION } from "../../src/store/index.ts";
import { seedArchive } from "../support/seed-archive.ts";

function seeded() {
  const db = join(mkdtempSync(join(tmpdir(), "ppol-browse-")), "a.sqlite");
  const store = openStore(db);
  seedArchive(store);
  return { db, store };
}

describe("read-only archive handle", () => {
  test("reads what a writer commits, refuses to write, and never migrates", () => {
    const { db, store } = seeded();
    const read = openReadStore(db);
    expect(runsPage(read, {}).items.map((r) => r.id)).toEqual(["run-evo", "run-bench", "run-per", "run-sim"]);
    expect(() => read.db.query("INSERT INTO meta (key, value) VALUES ('k', 'v')").run()).toThrow();
    expect(() => read.tx(() => 1)).toThrow(/read-only/);
    store.db.query("UPDATE runs SET status = 'failed' WHERE id = 'run-sim'").run();
    expect(runsPage(read, { status: "failed" }).items.map((r) => r.id)).toEqual(["run-sim"]);
    read.close();
    store.close();
  });

  test("an archive missing a migration or from a newer ppol is refused with what to do", () => {
    const { db, store } = seeded();
    store.close();
    const raw = new Database(db);
    raw.query("DELETE FROM schema_migrations WHERE version = ?").run(SCHEMA_VERSION);
    raw.close();
    expect(() => openReadStore(db)).toThrow(`lacks migrations ${SCHEMA_VERSION}`);
    const raw2 = new Database(db);
    raw2.query("INSERT INTO schema_migrations VALUES (?, 'x', 'y'), (?, 'future', 'y')").run(SCHEMA_VERSION, SCHEMA_VERSION + 1);
    raw2.close();
    expect(() => openReadStore(db)).toThrow(/newer ppol/);
    expect(() => openReadStore(join(tmpdir(), "no-such-dir-ppol", "x.sqlite"))).toThrow(/cannot open archive read-only/);
  });
});

describe("page queries", () => {
  test("run numbers: counts, pass rate, mean reward, tokens, terminations, reward curve", () => {
    const { store } = seeded();
    // Six episodes with rewards 0,1,0,1,0,1; each 100 + 20 tokens and 4 calls.
    const n = runNumbers(store, "run-sim", 3);
    expect(n).toMatchObject({ episodes: 6, scored: 6, passed: 3, meanReward: 0.5, llmCalls: 24, promptTokens: 600, completionTokens: 120, terminations: { user_stop: 6 } });
    expect(n.curve).toEqual([{ episode: 0, meanReward: 0.5, episodes: 2 }, { episode: 2, meanReward: 0.5, episodes: 2 }, { episode: 4, meanReward: 0.5, episodes: 2 }]);
    expect(runNumbers(store, "no-run").episodes).toBe(0);
  });

  test("keyset and offset pages hand over exactly at the boundary", () => {
    const { store } = seeded();
    const first = episodesPage(store, "run-sim", -1, 4);
    expect(first.items.map((e) => e.ordinal)).toEqual([0, 1, 2, 3]);
    expect(episodesPage(store, "run-sim", first.next, 4)).toEqual({ items: episodesPage(store, "run-sim", 3).items });
    expect(runsPage(store, { kind: "personas" }).items.map((r) => r.id)).toEqual(["run-per"]);
    const runs = runsPage(store, {}, 1);
    expect(runs.next).toBe(1);
    expect(runsPage(store, { offset: 3 }, 1).items.map((r) => r.id)).toEqual(["run-sim"]);
    expect(llmCallsPage(store, { status: "error" }).items.map((c) => c.attempt)).toEqual([2]);
    expect(programsPage(store).items.map((p) => p.lines)).toEqual([7, 6]); // B: 6 lines + NOTE; A: 5 lines + a comment
    expect(personasPage(store, { runId: "run-per" }).items.map((p) => p.persona_id)).toEqual(["persona_0", "persona_1"]);
    store.close();
  });

  test("the run page's aggregates and episode list read the covering index, not the transcripts", () => {
    const { store } = seeded();
    const plan = (sql: string) => (store.db.query(`EXPLAIN QUERY PLAN ${sql}`).all("run-sim") as { detail: string }[]).map((r) => r.detail).join(" | ");
    expect(plan("SELECT count(*), avg(reward), sum(prompt_tokens) FROM episodes WHERE run_id = ?")).toContain("COVERING INDEX episodes_run_numbers");
    expect(plan("SELECT id, ordinal, task_id, persona_key, termination, reward FROM episodes WHERE run_id = ? AND ordinal > -1 ORDER BY ordinal LIMIT 51")).toContain("COVERING INDEX episodes_run_numbers");
    store.close();
  });
});
