/**
 * Copying a set of runs between archives in plain SQL (the source ATTACHed as `src`): into a new bundle,
 * from a bundle into a replay archive (inputs only), and from a bundle into a user's archive (import).
 * Content-addressed rows (LLM requests and long texts, generator programs, τ² data) are kept once;
 * llm_calls keep their order, which decides which recorded answer a replay gets. Answers a run took from
 * the cache that another run recorded are copied with it, without a run (run_id NULL).
 */
import type { Database } from "bun:sqlite";
import { InputError } from "../errors.ts";
import type { Store } from "./db.ts";

/**
 * Tables holding what a run produced, parents first. A replay archive gets none of them, except the
 * settings part of evolve_runs (options, problem), which a resumed evolve run reads.
 */
export const OUTPUT_TABLES = ["persona_tasks", "personas", "episodes", "evolve_runs", "evolve_programs", "evolve_generations", "evolve_bootstrap", "evolve_evaluations"] as const;
export type OutputTable = (typeof OUTPUT_TABLES)[number];

export interface BundleSelection {
  runs: readonly string[];
  /** LLM calls another run made for one of these (a personas run generated inside a simulate run), copied as `to`'s. */
  adopt?: readonly { from: string; to: string; role: string }[];
  tau2: readonly { name: string; data_hash: string }[];
  programs: readonly string[];
  /** Human reference sets (by name) and discriminators (by id) the runs read. */
  sets: readonly string[];
  discriminators: readonly string[];
  /** Copy the runs' outputs and status history; without, every run starts as interrupted (a replay archive). */
  outputs: boolean;
  /** Keep llm_calls and run_events ids (a new bundle), or number them anew in the same order (an import). */
  keepIds: boolean;
}

export function columns(db: Database, table: string, schema = "main"): string[] {
  return (db.query(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

/** Run fn with the archive at `srcPath` attached as `src` (detached afterwards). */
export function withAttached<T>(dst: Store, srcPath: string, fn: () => T): T {
  dst.db.query("ATTACH DATABASE ? AS src").run(srcPath);
  try {
    return fn();
  } finally {
    dst.db.exec("DETACH DATABASE src");
  }
}

/**
 * Copy the selection from the archive at `srcPath` into `dst`, in one transaction with foreign keys
 * checked at commit. `immediate` takes the write lock first (an archive other processes write to);
 * a new bundle uses a deferred transaction so the source archive is only read.
 */
export function copyBundleRows(dst: Store, srcPath: string, sel: BundleSelection, opts: { immediate: boolean }) {
  withAttached(dst, srcPath, () => {
    const db = dst.db;
    const copy = () => {
      db.exec("PRAGMA defer_foreign_keys = ON");
      const runs = JSON.stringify(sel.runs);
      const inRuns = "run_id IN (SELECT value FROM json_each(?))";
      const cols = (table: string, skip: string[] = []) => columns(db, table).filter((c) => !skip.includes(c));
      // `rest` follows `FROM src.TABLE`: an optional alias, then WHERE / ORDER BY.
      const insert = (table: string, list: string[], select: string, rest: string, ...args: (string | number)[]) =>
        db.query(`INSERT INTO main.${table} (${list.join(", ")}) SELECT ${select} FROM src.${table} ${rest}`).run(...args);

      // A parent left out (e.g. the simulate run that made a personas run bundled alone) is not named.
      const runCols = cols("runs");
      const runSelect = runCols.map((c) => (c === "status" && !sel.outputs ? "'interrupted'" : c === "parent_id" ? "CASE WHEN parent_id IN (SELECT value FROM json_each(?1)) THEN parent_id END" : c));
      insert("runs", runCols, runSelect.join(", "), "WHERE id IN (SELECT value FROM json_each(?1))", runs);
      if (!sel.outputs) {
        const evolve = cols("evolve_runs");
        insert("evolve_runs", evolve, evolve.map((c) => (c === "stop_reason" || c === "final_id" ? "NULL" : c)).join(", "), `WHERE ${inRuns}`, runs);
      }
      if (sel.outputs) {
        const events = cols("run_events", sel.keepIds ? [] : ["id"]);
        insert("run_events", events, events.join(", "), `WHERE ${inRuns} ORDER BY id`, runs);
        for (const table of OUTPUT_TABLES) {
          const list = cols(table);
          insert(table, list, list.join(", "), `WHERE ${inRuns}`, runs);
        }
      }
      const calls = cols("llm_calls", sel.keepIds ? [] : ["id"]);
      insert("llm_calls", calls, calls.join(", "), `WHERE ${inRuns} ORDER BY id`, runs);
      for (const a of sel.adopt ?? [])
        insert("llm_calls", calls, calls.map((c) => (c === "run_id" ? "?" : c)).join(", "), "WHERE run_id = ? AND role = ? ORDER BY id", a.to, a.from, a.role);
      // Every request these runs used: asked of a server, or answered from the cache (migration 015).
      db.exec("CREATE TEMP TABLE bundle_hashes (hash TEXT PRIMARY KEY) WITHOUT ROWID");
      try {
        const used = (table: string, where: string, ...args: string[]) => db.query(`INSERT OR IGNORE INTO temp.bundle_hashes SELECT request_hash FROM src.${table} WHERE ${where}`).run(...args);
        for (const table of ["llm_calls", "llm_cache_hits"]) {
          used(table, inRuns, runs);
          for (const a of sel.adopt ?? []) used(table, "run_id = ? AND role = ?", a.from, a.role);
        }
        if (sel.outputs) {
          insert("llm_cache_hits", ["run_id", "request_hash", "role"], "run_id, request_hash, role", `WHERE ${inRuns}`, runs);
          for (const a of sel.adopt ?? []) db.query("INSERT OR IGNORE INTO main.llm_cache_hits (run_id, request_hash, role) SELECT ?, request_hash, role FROM src.llm_cache_hits WHERE run_id = ? AND role = ?").run(a.to, a.from, a.role);
        }
        // Answers other runs recorded and these runs reused travel without a run (unless one is here already).
        insert(
          "llm_calls",
          calls,
          calls.map((c) => (c === "run_id" ? "NULL" : `c.${c}`)).join(", "),
          `c WHERE c.status = 'ok' AND c.request_hash IN (SELECT hash FROM temp.bundle_hashes)
             AND NOT EXISTS (SELECT 1 FROM main.llm_calls m WHERE m.request_hash = c.request_hash AND m.status = 'ok') ORDER BY c.id`,
        );
        // The requests and the long texts they refer to; an archive that has them keeps its own.
        db.exec("INSERT OR IGNORE INTO main.llm_requests (hash, role, request_json, created_at) SELECT hash, role, request_json, created_at FROM src.llm_requests WHERE hash IN (SELECT hash FROM temp.bundle_hashes)");
        db.exec(
          `INSERT OR IGNORE INTO main.llm_blobs (hash, text) SELECT hash, text FROM src.llm_blobs WHERE hash IN
             (SELECT j.value FROM src.llm_requests r, json_tree(r.request_json) j WHERE r.hash IN (SELECT hash FROM temp.bundle_hashes) AND j.key = '$blob')`,
        );
      } finally {
        db.exec("DROP TABLE temp.bundle_hashes");
      }
      for (const d of sel.tau2) {
        db.query("INSERT OR IGNORE INTO main.tau2_domains (name, data_hash, source, imported_at) SELECT name, data_hash, source, imported_at FROM src.tau2_domains WHERE name = ? AND data_hash = ?").run(d.name, d.data_hash);
        db.query("INSERT OR IGNORE INTO main.tau2_files (name, data_hash, file, sha256, content) SELECT name, data_hash, file, sha256, content FROM src.tau2_files WHERE name = ? AND data_hash = ?").run(d.name, d.data_hash);
      }
      const sets = JSON.stringify(sel.sets);
      for (const table of ["conversation_sets", "set_conversations", "discriminators"]) {
        const list = cols(table).join(", ");
        const key = table === "conversation_sets" ? "name" : table === "set_conversations" ? "set_name" : "id";
        db.query(`INSERT OR IGNORE INTO main.${table} (${list}) SELECT ${list} FROM src.${table} WHERE ${key} IN (SELECT value FROM json_each(?))`).run(table === "discriminators" ? JSON.stringify(sel.discriminators) : sets);
      }
      db.query("INSERT OR IGNORE INTO main.persona_programs (sha256, name, code, created_at) SELECT sha256, name, code, created_at FROM src.persona_programs WHERE sha256 IN (SELECT value FROM json_each(?))").run(JSON.stringify(sel.programs));
    };
    try {
      if (opts.immediate) dst.tx(copy);
      else db.transaction(copy)();
    } catch (error) {
      if (/FOREIGN KEY/i.test(String((error as Error).message)))
        throw new InputError(`${srcPath}: rows refer to rows the bundle lacks (${(error as Error).message})`, "create the bundle again with `ppol bundle create`", { cause: error });
      throw error;
    }
  });
}

/** Copy the stored rows of some output items of one run from the archive at `srcPath` (replacing what `dst` has). */
export function copyOutputItems(dst: Store, srcPath: string, runId: string, items: { table: OutputTable; where: string; args: (string | number)[] }[]) {
  if (!items.length) return;
  withAttached(dst, srcPath, () =>
    dst.tx(() => {
      for (const { table, where, args } of items) {
        const list = columns(dst.db, table).join(", ");
        dst.db.query(`DELETE FROM main.${table} WHERE run_id = ? AND ${where}`).run(runId, ...args);
        dst.db.query(`INSERT INTO main.${table} (${list}) SELECT ${list} FROM src.${table} WHERE run_id = ? AND ${where}`).run(runId, ...args);
      }
    }),
  );
}
