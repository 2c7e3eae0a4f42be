/**
 * What a bundle's manifest pins, computed from an archive's rows: a sha256 per output item (episode,
 * persona task, persona, evolve program, …) without wall-clock fields, and the hashes of the inputs
 * (τ² files, programs, LLM answers, requests and long texts). The same functions read a bundle, a replay
 * archive and a user's archive, so "the same" means the same everywhere.
 */
import type { Database } from "bun:sqlite";
import { sha256 } from "../hash.ts";
import { columns, OUTPUT_TABLES, type OutputTable } from "./bundle-copy.ts";
import type { OutputDigest } from "./bundle-format.ts";
import type { Store } from "./db.ts";

/** Fields no replay reproduces: when something was written and how long it took. */
const VOLATILE = new Set(["ms", "created_at", "updated_at", "evaluated_at", "committed_at"]);

/** How each output table names its items within a run. */
const ITEM_KEYS: Record<OutputTable, { key: string[]; order: string }> = {
  persona_tasks: { key: ["task_id"], order: "task_id" },
  personas: { key: ["task_id", "idx"], order: "task_id, idx" },
  episodes: { key: ["id"], order: "ordinal, id" },
  evolve_runs: { key: [], order: "run_id" },
  evolve_programs: { key: ["id"], order: "generation, kind, slot, attempt" },
  evolve_generations: { key: ["generation"], order: "generation" },
  evolve_bootstrap: { key: [], order: "run_id" },
  evolve_evaluations: { key: ["program_id", "phase"], order: "program_id, phase" },
};

export type OutputRow = Record<string, unknown>;

/** A run's output rows by item key ("episodes/<id>", "personas/<task>#<idx>", …), volatile fields left out, in a stable order. */
export function outputRows(store: Store, runId: string): Map<string, OutputRow> {
  const items = new Map<string, OutputRow>();
  for (const table of OUTPUT_TABLES) {
    const { key, order } = ITEM_KEYS[table];
    const kept = columns(store.db, table).filter((c) => !VOLATILE.has(c));
    for (const row of store.db.query(`SELECT ${kept.join(", ")} FROM ${table} WHERE run_id = ? ORDER BY ${order}`).all(runId) as OutputRow[])
      items.set(`${table}/${key.map((k) => String(row[k])).join("#")}`, row);
  }
  return items;
}

export function rowDigest(row: OutputRow): string {
  return sha256(JSON.stringify(Object.values(row)));
}

export function outputDigest(store: Store, runId: string): OutputDigest {
  const items: Record<string, string> = {};
  for (const [key, row] of outputRows(store, runId)) items[key] = rowDigest(row);
  return { digest: digestOf(items), items };
}

/** sha256 over a name → digest map (sorted by name). */
export function digestOf(items: Record<string, string>): string {
  return sha256(
    Object.keys(items)
      .sort()
      .map((k) => `${k}\t${items[k]}`)
      .join("\n"),
  );
}

/** The first field two rows of the same item disagree on (undefined: none). */
export function differingField(a: OutputRow, b: OutputRow): string | undefined {
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) return field;
  return undefined;
}

/** What a bundle's inputs hash to, from their content (not from the hashes stored beside them). */
export interface InputState {
  tau2: { name: string; data_hash: string; files: Record<string, string> }[];
  programs: { sha256: string; name: string; stored: string }[];
  /** Human reference sets and discriminators: a sha256 of each one's rows (times left out). */
  sets: Record<string, string>;
  discriminators: Record<string, string>;
  llm: { answers: Record<string, string>; requests: string; blobs: string };
  configs: Record<string, string>;
  counts: Record<string, number>;
}

export function inputState(store: Store): InputState {
  const db = store.db;
  const tau2 = (db.query("SELECT name, data_hash FROM tau2_domains ORDER BY name, data_hash").all() as { name: string; data_hash: string }[]).map((d) => ({
    ...d,
    files: Object.fromEntries(
      (db.query("SELECT file, content FROM tau2_files WHERE name = ? AND data_hash = ? ORDER BY file").all(d.name, d.data_hash) as { file: string; content: string }[]).map((f) => [f.file, sha256(f.content)]),
    ),
  }));
  const programs = (db.query("SELECT sha256, name, code FROM persona_programs ORDER BY sha256").all() as { sha256: string; name: string; code: string }[]).map((p) => ({ sha256: sha256(p.code), name: p.name, stored: p.sha256 }));
  const configs = Object.fromEntries((db.query("SELECT id, config_json FROM runs").all() as { id: string; config_json: string }[]).map((r) => [r.id, sha256(r.config_json)]));
  const sets = Object.fromEntries(
    (db.query("SELECT * FROM conversation_sets ORDER BY name").all() as OutputRow[]).map((set) => {
      const rows = db.query("SELECT ord, id, task_id, domain, split, conversation FROM set_conversations WHERE set_name = ? ORDER BY ord, id").all(set.name as string) as OutputRow[];
      const { created_at: _, ...kept } = set;
      return [set.name as string, sha256(JSON.stringify([kept, ...rows.map((r) => Object.values(r))]))];
    }),
  );
  const discriminators = Object.fromEntries((db.query("SELECT id, human_set, simulator, cv_auc, model FROM discriminators ORDER BY id").all() as OutputRow[]).map((d) => [d.id as string, rowDigest(d)]));
  return { tau2, programs, sets, discriminators, llm: llmState(db), configs, counts: tableCounts(db) };
}

/** Answers grouped by "run/role" in recording order; requests and long texts by hash. */
function llmState(db: Database): InputState["llm"] {
  const groups = new Map<string, string[]>();
  for (const c of db.query("SELECT run_id, role, request_hash, attempt, status, response_json FROM llm_calls ORDER BY id").all() as Record<string, string | number | null>[]) {
    const key = `${c.run_id}/${c.role}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(sha256(JSON.stringify([c.request_hash, c.attempt, c.status, c.response_json])));
  }
  const answers = Object.fromEntries([...groups].map(([k, list]) => [k, sha256(list.join("\n"))]));
  const requests = sha256((db.query("SELECT hash, request_json FROM llm_requests ORDER BY hash").all() as { hash: string; request_json: string }[]).map((r) => `${r.hash}\t${sha256(r.request_json)}`).join("\n"));
  const blobs = sha256((db.query("SELECT hash, text FROM llm_blobs ORDER BY hash").all() as { hash: string; text: string }[]).map((b) => `${b.hash}\t${sha256(b.text)}`).join("\n"));
  return { answers, requests, blobs };
}

const COUNTED = ["runs", "episodes", "persona_tasks", "personas", "evolve_programs", "evolve_evaluations", "persona_programs", "set_conversations", "discriminators", "tau2_files", "llm_calls", "llm_cache_hits", "llm_requests", "llm_blobs"] as const;

function tableCounts(db: Database): Record<string, number> {
  return Object.fromEntries(COUNTED.map((t) => [t, (db.query(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
}

/**
 * User/agent calls a simulate run's episodes made (infrastructure errors left out) and the distinct
 * requests the archive knows the run used (asked, or taken from the cache): fewer means the run reused
 * answers before cache hits were recorded (archives older than migration 15), which a bundle cannot find.
 */
export function episodeCallCounts(store: Store, runId: string): { made: number; recorded: number } {
  const made = store.db.query("SELECT coalesce(sum(llm_calls), 0) AS n FROM episodes WHERE run_id = ? AND termination <> 'infrastructure_error'").get(runId) as { n: number };
  const recorded = store.db
    .query(
      `SELECT count(*) AS n FROM (SELECT request_hash FROM llm_calls WHERE run_id = ?1 AND status = 'ok' AND role IN ('user', 'agent')
         UNION SELECT request_hash FROM llm_cache_hits WHERE run_id = ?1 AND role IN ('user', 'agent'))`,
    )
    .get(runId) as { n: number };
  return { made: made.n, recorded: recorded.n };
}
