import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MIGRATIONS } from "../src/store/migrations/index.ts";
import { createRun, getMeta, listRuns, openStore, SCHEMA_VERSION, setMeta, setRunStatus } from "../src/store/index.ts";

const tmp = () => join(mkdtempSync(join(tmpdir(), "ppol-store-")), "a.sqlite");

describe("store", () => {
  test("opens with WAL, foreign keys and busy timeout, and records migrations", () => {
    const store = openStore(tmp());
    expect((store.db.query("PRAGMA journal_mode").get() as any).journal_mode).toBe("wal");
    expect((store.db.query("PRAGMA foreign_keys").get() as any).foreign_keys).toBe(1);
    expect((store.db.query("PRAGMA busy_timeout").get() as any).timeout).toBeGreaterThan(0);
    const versions = store.db.query("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[];
    expect(versions.at(-1)!.version).toBe(SCHEMA_VERSION);
    store.close();
  });

  test("reopening applies nothing twice and keeps data", () => {
    const path = tmp();
    const a = openStore(path);
    createRun(a, { id: "r1", kind: "simulate", config: { x: 1 }, seed: 3, version: "0.1.0", now: new Date(0) });
    setMeta(a, "k", "v");
    a.close();
    const b = openStore(path);
    expect(listRuns(b).map((r) => r.id)).toEqual(["r1"]);
    expect(getMeta(b, "k")).toBe("v");
    setRunStatus(b, "r1", "done", new Date(1));
    expect(listRuns(b, { kind: "simulate" })[0]!.status).toBe("done");
    expect((b.db.query("SELECT count(*) AS n FROM schema_migrations").get() as any).n).toBe(MIGRATIONS.length);
    b.close();
  });

  test("refuses an archive written by a newer ppol", () => {
    const path = tmp();
    openStore(path).close();
    const raw = new Database(path);
    raw.query("INSERT INTO schema_migrations VALUES (?, 'future', 'x')").run(SCHEMA_VERSION + 5);
    raw.close();
    expect(() => openStore(path)).toThrow(/newer ppol/);
  });

  test("a file that is not SQLite is a clear input error", () => {
    const path = tmp();
    writeFileSync(path, "this is not a database, just text ".repeat(200));
    expect(() => openStore(path)).toThrow(/a\.sqlite/);
  });

  test("unwritable path is an input error naming the path", () => {
    expect(() => openStore("/proc/ppol-nope/a.sqlite")).toThrow(/ppol-nope/);
  });

  test("tx rolls back every row when one fails", () => {
    const store = openStore(tmp());
    expect(() =>
      store.tx(() => {
        setMeta(store, "a", "1");
        store.db.query("INSERT INTO runs (id) VALUES (NULL)").run();
      }),
    ).toThrow();
    expect(getMeta(store, "a")).toBeUndefined();
    store.close();
  });
});

test("a migration numbered below the archive's newest is still applied when it was never recorded", () => {
  const path = tmp();
  openStore(path).close();
  const raw = new Database(path);
  // Simulate an archive made before migration 2 existed: drop its tables and its record.
  raw.exec("DROP TABLE tau2_files; DROP TABLE tau2_domains; DELETE FROM schema_migrations WHERE version = 2");
  raw.close();
  const store = openStore(path);
  expect(store.db.query("SELECT name FROM sqlite_master WHERE name = 'tau2_files'").get()).toBeTruthy();
  store.close();
});

test("migration 8 on an older archive: its episodes read back with no retries and unknown guidelines, its personas with no warnings", async () => {
  const { insertEpisode, listEpisodes } = await import("../src/store/index.ts");
  const path = tmp();
  const a = openStore(path);
  createRun(a, { id: "r1", kind: "simulate", config: {}, version: "0.1.0", now: new Date(0) });
  const episode = {
    id: "r1:0:base:0", run_id: "r1", ordinal: 0, domain: "airline", task_id: "0", trial: 0, persona_key: "", persona_text: null, seed: 1, agent_model: "m", user_model: "m",
    termination: "user_stop" as const, reward: 1, reward_info: {}, steps: 3, tool_errors: 0, user_turns: 1, messages: [{ role: "user" as const, content: "hi", turn: 1 }], fidelity: [],
    llm_calls: 2, prompt_tokens: 10, completion_tokens: 5, error: null, retries: [{ attempt: 0, agent_temperature: 0, party: "agent" as const, reason: "empty message", turn: 2, steps: 1, llm_calls: 2 }],
    user_guidelines_sha256: "abc", ms: 1, created_at: "2026-01-01T00:00:00.000Z",
  };
  insertEpisode(a, episode);
  expect(listEpisodes(a, "r1")[0]).toMatchObject({ retries: episode.retries, user_guidelines_sha256: "abc" });
  a.close();
  // The same archive as a version without migration 8 left it.
  const raw = new Database(path);
  raw.exec("ALTER TABLE episodes DROP COLUMN retries_json; ALTER TABLE episodes DROP COLUMN user_guidelines_sha256; ALTER TABLE personas DROP COLUMN warnings_json; DELETE FROM schema_migrations WHERE version = 8");
  raw.close();
  const b = openStore(path);
  expect(listEpisodes(b, "r1")[0]).toMatchObject({ retries: [], user_guidelines_sha256: null, reward: 1 });
  expect((b.db.query("PRAGMA table_info(personas)").all() as { name: string }[]).map((c) => c.name)).toContain("warnings_json");
  b.close();
});

test("migration 007 marks sets stored before it as what they are: τ-USI imports were stripped, other formats were not", () => {
  const path = tmp();
  const raw = new Database(path);
  raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
  for (const m of MIGRATIONS.filter((m) => m.version <= 6)) {
    raw.exec(m.sql);
    raw.query("INSERT INTO schema_migrations VALUES (?, ?, 'x')").run(m.version, m.name);
  }
  const set = raw.query("INSERT INTO conversation_sets (name, kind, format, domain, source_files, content_hash, split_rule, space, n, created_at) VALUES (?, 'human', ?, NULL, '[]', 'h', 'hash', 'raw', 0, 'x')");
  set.run("usi", "tau-usi");
  set.run("mdg", "multidogo");
  raw.query("INSERT INTO scores (discriminator_id, human_set, episodes, feature_version, cue_version, hl, cov, score, result, created_at) VALUES ('d-1', 'usi', 'f', 'v', 'ppol-cues-1', 0, 0, 0, '{}', 'x')").run();
  raw.close();
  const store = openStore(path);
  expect(store.db.query("SELECT name, preparation FROM conversation_sets ORDER BY name").all()).toEqual([{ name: "mdg", preparation: "reference" }, { name: "usi", preparation: "strip-control" }]);
  expect(store.db.query("SELECT cue_version, preparation FROM scores").all()).toEqual([{ cue_version: "ppol-cues-1", preparation: null }]);
  expect(() => store.db.query("UPDATE conversation_sets SET preparation = 'whatever'").run()).toThrow(/CHECK/);
  store.close();
});
