/**
 * Read queries for the web UI: every list is one page (limit + keyset cursor or offset) and reads only
 * indexed columns, so pages stay fast on archives with 100,000 episodes (migration 011 adds the indexes).
 */
import { z } from "zod";
import type { Store } from "./db.ts";
import { EpisodeRecord } from "./episodes.ts";
import { LlmCallRow } from "./llm.ts";
import { RunRow } from "./runs.ts";

export const PAGE_SIZE = 50;

export interface Page<T> {
  items: T[];
  /** Pass as `after` (keyset) or `offset` for the next page; undefined on the last page. */
  next?: number;
}

function page<T>(rows: T[], limit: number, nextOf: (last: T) => number): Page<T> {
  return rows.length > limit ? { items: rows.slice(0, limit), next: nextOf(rows[limit - 1]!) } : { items: rows };
}

/** `all`: also the runs other runs made (an evolve run's evaluations, a benchmark's conditions). */
export const RunFilter = z.object({ kind: z.string().min(1).optional(), status: z.string().min(1).optional(), offset: z.int().min(0).default(0), all: z.boolean().default(false) });
export type RunFilter = z.input<typeof RunFilter>;

/** Runs, newest first, optionally by kind and status. */
export function runsPage(store: Store, filter: RunFilter, limit = PAGE_SIZE): Page<RunRow> & { kinds: string[] } {
  const f = RunFilter.parse(filter);
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (f.kind) (where.push("kind = ?"), args.push(f.kind));
  if (f.status) (where.push("status = ?"), args.push(f.status));
  if (!f.all) where.push("parent_id IS NULL");
  const rows = store.db
    .query(`SELECT * FROM runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
    .all(...args, limit + 1, f.offset)
    .map((r) => RunRow.parse(r));
  const kinds = (store.db.query("SELECT DISTINCT kind FROM runs ORDER BY kind").all() as { kind: string }[]).map((r) => r.kind);
  return { ...page(rows, limit, () => f.offset + limit), kinds };
}

export interface RunNumbers {
  episodes: number;
  scored: number;
  passed: number;
  /** Rewards nobody could evaluate (no judge), and evaluations that failed (redone by --resume). */
  notEvaluated: number;
  evaluationFailed: number;
  meanReward: number | null;
  fidelityFlags: number;
  llmCalls: number;
  promptTokens: number;
  completionTokens: number;
  terminations: Record<string, number>;
  /** Mean reward per bucket of consecutive episodes (at most `buckets` points), for the run chart. */
  curve: { episode: number; meanReward: number | null; episodes: number }[];
}

/** A run's episode totals, from the covering index (no transcript is read). */
export function runNumbers(store: Store, runId: string, buckets = 100): RunNumbers {
  const t = store.db
    .query(
      `SELECT count(*) AS episodes, count(reward) AS scored, sum(reward >= 1) AS passed, avg(reward) AS mean_reward, sum(fidelity_flags) AS flags,
        sum(evaluation = 'not_evaluated') AS not_evaluated, sum(evaluation = 'failed') AS failed,
        sum(llm_calls) AS calls, sum(prompt_tokens) AS pt, sum(completion_tokens) AS ct, max(ordinal) AS last
       FROM episodes WHERE run_id = ?`,
    )
    .get(runId) as Record<string, number | null>;
  const terminations = Object.fromEntries(
    (store.db.query("SELECT termination, count(*) AS n FROM episodes WHERE run_id = ? GROUP BY termination ORDER BY termination").all(runId) as { termination: string; n: number }[]).map((r) => [r.termination, r.n]),
  );
  const width = Math.max(1, Math.ceil(((t.last ?? 0) + 1) / buckets));
  const curve = (
    store.db.query("SELECT ordinal / ? AS b, avg(reward) AS m, count(*) AS n FROM episodes WHERE run_id = ? GROUP BY b ORDER BY b").all(width, runId) as { b: number; m: number | null; n: number }[]
  ).map((r) => ({ episode: r.b * width, meanReward: r.m, episodes: r.n }));
  return {
    episodes: t.episodes ?? 0,
    scored: t.scored ?? 0,
    passed: t.passed ?? 0,
    notEvaluated: t.not_evaluated ?? 0,
    evaluationFailed: t.failed ?? 0,
    meanReward: t.mean_reward ?? null,
    fidelityFlags: t.flags ?? 0,
    llmCalls: t.calls ?? 0,
    promptTokens: t.pt ?? 0,
    completionTokens: t.ct ?? 0,
    terminations,
    curve,
  };
}

export const EpisodeListRow = z.object({
  id: z.string(),
  ordinal: z.int(),
  task_id: z.string(),
  persona_key: z.string(),
  termination: z.string(),
  reward: z.number().nullable(),
  user_turns: z.int(),
  fidelity_flags: z.int(),
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
});
export type EpisodeListRow = z.infer<typeof EpisodeListRow>;

/** One page of a run's episodes in plan order, after ordinal `after` (keyset: deep pages cost the same). */
export function episodesPage(store: Store, runId: string, after = -1, limit = PAGE_SIZE): Page<EpisodeListRow> {
  const rows = store.db
    .query(
      `SELECT id, ordinal, task_id, persona_key, termination, reward, user_turns, fidelity_flags, prompt_tokens, completion_tokens
       FROM episodes WHERE run_id = ? AND ordinal > ? ORDER BY ordinal LIMIT ?`,
    )
    .all(runId, after, limit + 1)
    .map((r) => EpisodeListRow.parse(r));
  return page(rows, limit, (last) => last.ordinal);
}

export function getEpisode(store: Store, id: string): EpisodeRecord | undefined {
  const r = store.db.query("SELECT * FROM episodes WHERE id = ?").get(id) as Record<string, any> | null;
  return r ? EpisodeRecord.parse({ ...r, reward_info: JSON.parse(r.reward_json), messages: JSON.parse(r.messages_json), fidelity: JSON.parse(r.fidelity_json) }) : undefined;
}

export const LlmCallFilter = z.object({ runId: z.string().min(1).optional(), status: z.enum(["ok", "error"]).optional(), after: z.int().min(0).default(0) });
export type LlmCallFilter = z.input<typeof LlmCallFilter>;
export type LlmCallListRow = Omit<LlmCallRow, "response_json" | "raw_json">;

/** LLM calls by id (oldest first), without their answers (those are on the call's own page). */
export function llmCallsPage(store: Store, filter: LlmCallFilter, limit = PAGE_SIZE): Page<LlmCallListRow> {
  const f = LlmCallFilter.parse(filter);
  const where = ["id > ?"];
  const args: (string | number)[] = [f.after];
  if (f.runId) (where.push("run_id = ?"), args.push(f.runId));
  if (f.status) (where.push("status = ?"), args.push(f.status));
  const rows = store.db
    .query(
      `SELECT id, run_id, request_hash, role, attempt, endpoint, base_url, model, status, error_kind, error, prompt_tokens, completion_tokens, latency_ms, streamed, created_at
       FROM llm_calls WHERE ${where.join(" AND ")} ORDER BY id LIMIT ?`,
    )
    .all(...args, limit + 1)
    .map((r) => LlmCallRow.omit({ response_json: true, raw_json: true }).parse(r));
  return page(rows, limit, (last) => last.id);
}

export function getLlmCall(store: Store, id: number): LlmCallRow | undefined {
  const r = store.db.query("SELECT * FROM llm_calls WHERE id = ?").get(id);
  return r ? LlmCallRow.parse(r) : undefined;
}
