/** Queries for the LLM record/replay tables (migration 003). Used by src/llm/cache.ts and reports. */
import { z } from "zod";
import type { Store } from "./db.ts";

export const LlmCallRow = z.object({
  id: z.number(),
  run_id: z.string().nullable(),
  request_hash: z.string(),
  role: z.string(),
  attempt: z.number(),
  endpoint: z.string(),
  base_url: z.string(),
  model: z.string(),
  status: z.enum(["ok", "error"]),
  error_kind: z.string().nullable(),
  error: z.string().nullable(),
  response_json: z.string().nullable(),
  raw_json: z.string().nullable(),
  prompt_tokens: z.number().nullable(),
  completion_tokens: z.number().nullable(),
  latency_ms: z.number(),
  streamed: z.number(),
  created_at: z.string(),
});
export type LlmCallRow = z.infer<typeof LlmCallRow>;
export type NewLlmCall = Omit<LlmCallRow, "id">;

/** Prepared once per database: looking statements up by their SQL text on every call costs more than running them. */
const statements = new WeakMap<Store["db"], ReturnType<typeof prepare>>();
function prepare(db: Store["db"]) {
  return {
    request: db.prepare("INSERT OR IGNORE INTO llm_requests (hash, role, request_json, created_at) VALUES (?, ?, ?, ?)"),
    blob: db.prepare("INSERT OR IGNORE INTO llm_blobs (hash, text) VALUES (?, ?)"),
    attempt: db.prepare(
      `INSERT INTO llm_calls (run_id, request_hash, role, attempt, endpoint, base_url, model, status, error_kind, error, response_json, raw_json,
         prompt_tokens, completion_tokens, latency_ms, streamed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // No ORDER BY: with it SQLite sorts even on a miss; a hash has few rows, the lowest id is picked below.
    answers: db.prepare("SELECT * FROM llm_calls WHERE request_hash = ? AND status = 'ok'"),
    hit: db.prepare("INSERT OR IGNORE INTO llm_cache_hits (run_id, request_hash, role) VALUES (?, ?, ?)"),
  };
}
function stmts(store: Store) {
  let s = statements.get(store.db);
  if (!s) statements.set(store.db, (s = prepare(store.db)));
  return s;
}

/** A canonical request in its stored form, with the long texts it refers to. */
export interface StoredRequest {
  json: string;
  blobs: readonly (readonly [hash: string, text: string])[];
}

/** A run that took a recorded answer instead of asking a server (migration 015). */
export interface LlmCacheHit {
  run_id: string;
  request_hash: string;
  role: string;
}

/** Record attempts (and, when given, their request and its blobs) and cache hits in one transaction. */
export function recordLlmCalls(store: Store, calls: readonly { call: NewLlmCall; request?: StoredRequest }[], hits: readonly LlmCacheHit[] = []) {
  const { request: insertRequest, blob, attempt, hit } = stmts(store);
  store.tx(() => {
    for (const h of hits) hit.run(h.run_id, h.request_hash, h.role);
    for (const { call, request } of calls) {
      if (request) {
        for (const [hash, text] of request.blobs) blob.run(hash, text);
        insertRequest.run(call.request_hash, call.role, request.json, call.created_at);
      }
      attempt.run(
        call.run_id, call.request_hash, call.role, call.attempt, call.endpoint, call.base_url, call.model, call.status, call.error_kind, call.error,
        call.response_json, call.raw_json, call.prompt_tokens, call.completion_tokens, call.latency_ms, call.streamed, call.created_at,
      );
    }
  });
}

/**
 * The first successful answer recorded for a request hash; with `models`, only answers from those models
 * (rw mode: an answer is reusable only if the role may still use the model that gave it).
 */
export function findLlmAnswer(store: Store, hash: string, models?: readonly string[]): LlmCallRow | undefined {
  let best: { id: number; model: string } | undefined;
  for (const row of stmts(store).answers.all(hash) as { id: number; model: string }[])
    if ((!models || models.includes(row.model)) && (!best || row.id < best.id)) best = row;
  return best ? LlmCallRow.parse(best) : undefined;
}

export function listLlmCalls(store: Store, filter: { runId?: string; status?: "ok" | "error" } = {}): LlmCallRow[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.runId !== undefined) (where.push("run_id = ?"), args.push(filter.runId));
  if (filter.status !== undefined) (where.push("status = ?"), args.push(filter.status));
  const sql = `SELECT * FROM llm_calls ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id`;
  return store.db.query(sql).all(...args).map((r) => LlmCallRow.parse(r));
}

/** The stored request for a hash and the blobs it refers to (expand with src/llm's expandRequest). */
export function getLlmRequest(store: Store, hash: string): { role: string; request_json: string; blobs: Map<string, string> } | undefined {
  const row = store.db.query("SELECT role, request_json FROM llm_requests WHERE hash = ?").get(hash) as { role: string; request_json: string } | null;
  if (!row) return undefined;
  const refs = [...row.request_json.matchAll(/\{"\$blob":"([0-9a-f]{64})"\}/g)].map((m) => m[1]!);
  const blobs = new Map<string, string>();
  for (const ref of refs) {
    const b = store.db.query("SELECT text FROM llm_blobs WHERE hash = ?").get(ref) as { text: string } | null;
    if (b) blobs.set(ref, b.text);
  }
  return { role: row.role, request_json: row.request_json, blobs };
}
