import { z } from "zod";
import type { Store } from "./db.ts";

/** What a run can be; `ppol runs --kind` takes these. */
export const RUN_KINDS = ["simulate", "personas", "evolve", "benchmark"] as const;
export const RunKind = z.enum(RUN_KINDS);
export type RunKind = z.infer<typeof RunKind>;
export const RUN_STATUSES = ["running", "done", "failed", "interrupted"] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunRow = z.object({
  id: z.string(),
  kind: RunKind,
  status: RunStatus,
  config_json: z.string(),
  seed: z.number().nullable(),
  ppol_version: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  notes: z.string().nullable(),
  /** The run that made this one (an evolve evaluation, a benchmark's condition); null for runs people start. */
  parent_id: z.string().nullable().default(null),
});
export type RunRow = z.infer<typeof RunRow>;

export const RunEvent = z.object({ status: RunStatus, at: z.string(), note: z.string().nullable() });
export type RunEvent = z.infer<typeof RunEvent>;

export function createRun(store: Store, run: { id: string; kind: RunKind; config: unknown; seed?: number; version: string; now: Date; parent?: string }): RunRow {
  const at = run.now.toISOString();
  store.tx(() => {
    store.db
      .query("INSERT INTO runs (id, kind, config_json, seed, ppol_version, created_at, updated_at, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(run.id, RunKind.parse(run.kind), JSON.stringify(run.config), run.seed ?? null, run.version, at, at, run.parent ?? null);
    store.db.query("INSERT INTO run_events (run_id, status, at) VALUES (?, 'running', ?)").run(run.id, at);
  });
  return getRun(store, run.id)!;
}

/** Replace a run's stored config (a run that records what it has made so far, e.g. a benchmark's sub-runs). */
export function setRunConfig(store: Store, id: string, config: unknown) {
  store.db.query("UPDATE runs SET config_json = ? WHERE id = ?").run(JSON.stringify(config), id);
}

export function getRun(store: Store, id: string): RunRow | undefined {
  const row = store.db.query("SELECT * FROM runs WHERE id = ?").get(id);
  return row ? RunRow.parse(row) : undefined;
}

/** Set a run's status and record it in its history (a resumed run goes back to running). */
export function setRunStatus(store: Store, id: string, status: RunStatus, now: Date, note?: string) {
  const at = now.toISOString();
  store.tx(() => {
    store.db.query("UPDATE runs SET status = ?, updated_at = ? WHERE id = ?").run(status, at, id);
    store.db.query("INSERT INTO run_events (run_id, status, at, note) VALUES (?, ?, ?, ?)").run(id, status, at, note ?? null);
  });
}

export function listRunEvents(store: Store, id: string): RunEvent[] {
  return store.db.query("SELECT status, at, note FROM run_events WHERE run_id = ? ORDER BY id").all(id).map((r) => RunEvent.parse(r));
}

/** Name the run that made `id` (for runs created before their parent existed, e.g. generated personas). */
export function setRunParent(store: Store, id: string, parent: string) {
  store.db.query("UPDATE runs SET parent_id = ? WHERE id = ?").run(parent, id);
}

/** Runs oldest first, optionally of one kind and/or status; `limit` keeps the newest; `topLevel` leaves out sub-runs. */
export function listRuns(store: Store, filter: { kind?: RunKind; status?: RunStatus; limit?: number; topLevel?: boolean } = {}): RunRow[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.topLevel) where.push("parent_id IS NULL");
  if (filter.kind) where.push("kind = ?"), args.push(filter.kind);
  if (filter.status) where.push("status = ?"), args.push(filter.status);
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC ${filter.limit ? `LIMIT ${Math.floor(filter.limit)}` : ""}`;
  return store.db.query(sql).all(...args).map((r) => RunRow.parse(r)).reverse();
}

/** LLM tokens of a run per role and model (attempts that failed have no tokens). */
export function runLlmUsage(store: Store, runId: string): { role: string; model: string; calls: number; errors: number; prompt_tokens: number; completion_tokens: number; latency_ms: number }[] {
  return store.db
    .query(
      `SELECT role, model, sum(status = 'ok') AS calls, sum(status = 'error') AS errors, coalesce(sum(prompt_tokens), 0) AS prompt_tokens,
              coalesce(sum(completion_tokens), 0) AS completion_tokens, coalesce(sum(latency_ms), 0) AS latency_ms
       FROM llm_calls WHERE run_id = ? GROUP BY role, model ORDER BY role, model`,
    )
    .all(runId) as never;
}

/** Tokens per (run, model) for many runs in one query (cost needs the model). */
export function runsTokensByModel(store: Store, runIds: readonly string[]): { run_id: string; model: string; prompt_tokens: number; completion_tokens: number }[] {
  if (runIds.length === 0) return [];
  return store.db
    .query(
      `SELECT run_id, model, coalesce(sum(prompt_tokens), 0) AS prompt_tokens, coalesce(sum(completion_tokens), 0) AS completion_tokens
       FROM llm_calls WHERE run_id IN (${runIds.map(() => "?").join(",")}) GROUP BY run_id, model`,
    )
    .all(...runIds) as never;
}

/** How many runs each of these runs made (directly). */
export function subRunCounts(store: Store, runIds: readonly string[]): Map<string, number> {
  if (runIds.length === 0) return new Map();
  const rows = store.db.query(`SELECT parent_id, count(*) AS n FROM runs WHERE parent_id IN (${runIds.map(() => "?").join(",")}) GROUP BY parent_id`).all(...runIds) as { parent_id: string; n: number }[];
  return new Map(rows.map((r) => [r.parent_id, r.n]));
}

export function listSubRuns(store: Store, parent: string): RunRow[] {
  return store.db.query("SELECT * FROM runs WHERE parent_id = ? ORDER BY created_at, id").all(parent).map((r) => RunRow.parse(r));
}

/** Episodes stored per run (for lists of many runs in one query). */
export function episodeCounts(store: Store, runIds: readonly string[]): Map<string, number> {
  if (runIds.length === 0) return new Map();
  const rows = store.db.query(`SELECT run_id, count(*) AS n FROM episodes WHERE run_id IN (${runIds.map(() => "?").join(",")}) GROUP BY run_id`).all(...runIds) as { run_id: string; n: number }[];
  return new Map(rows.map((r) => [r.run_id, r.n]));
}

export function getMeta(store: Store, key: string): string | undefined {
  return (store.db.query("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | null)?.value;
}

export function setMeta(store: Store, key: string, value: string) {
  store.db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}
