import { z } from "zod";
import type { Store } from "./db.ts";

export const RunStatus = z.enum(["running", "done", "failed", "interrupted"]);
export const RunRow = z.object({
  id: z.string(),
  kind: z.string(),
  status: RunStatus,
  config_json: z.string(),
  seed: z.number().nullable(),
  ppol_version: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  notes: z.string().nullable(),
});
export type RunRow = z.infer<typeof RunRow>;

export function createRun(store: Store, run: { id: string; kind: string; config: unknown; seed?: number; version: string; now: Date }): RunRow {
  const at = run.now.toISOString();
  store.db
    .query("INSERT INTO runs (id, kind, config_json, seed, ppol_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run(run.id, run.kind, JSON.stringify(run.config), run.seed ?? null, run.version, at, at);
  return getRun(store, run.id)!;
}

export function getRun(store: Store, id: string): RunRow | undefined {
  const row = store.db.query("SELECT * FROM runs WHERE id = ?").get(id);
  return row ? RunRow.parse(row) : undefined;
}

export function setRunStatus(store: Store, id: string, status: z.infer<typeof RunStatus>, now: Date) {
  store.db.query("UPDATE runs SET status = ?, updated_at = ? WHERE id = ?").run(status, now.toISOString(), id);
}

export function listRuns(store: Store, kind?: string): RunRow[] {
  const rows = kind ? store.db.query("SELECT * FROM runs WHERE kind = ? ORDER BY created_at").all(kind) : store.db.query("SELECT * FROM runs ORDER BY created_at").all();
  return rows.map((r) => RunRow.parse(r));
}

export function getMeta(store: Store, key: string): string | undefined {
  return (store.db.query("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | null)?.value;
}

export function setMeta(store: Store, key: string, value: string) {
  store.db.query("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}
