/** Read queries for the web UI's content pages: persona programs, personas, human reference sets, scores. */
import { z } from "zod";
import type { Store } from "./db.ts";
import { ConversationSetRow } from "./fitness.ts";
import { PAGE_SIZE, type Page } from "./browse.ts";
import { PersonaRow } from "./personas.ts";

function offsetPage<T>(rows: T[], limit: number, offset: number): Page<T> {
  return rows.length > limit ? { items: rows.slice(0, limit), next: offset + limit } : { items: rows };
}

export const ProgramListRow = z.object({ sha256: z.string(), name: z.string(), created_at: z.string(), lines: z.int() });
export type ProgramListRow = z.infer<typeof ProgramListRow>;

/** Stored generator programs, newest first. */
export function programsPage(store: Store, offset = 0, limit = PAGE_SIZE): Page<ProgramListRow> {
  const rows = store.db
    .query(
      // Lines = newlines, plus one for an unterminated last line: no code leaves SQLite for the list.
      "SELECT sha256, name, created_at, length(code) - length(replace(code, char(10), '')) + (code != '' AND substr(code, -1) != char(10)) AS lines FROM persona_programs ORDER BY created_at DESC, sha256 LIMIT ? OFFSET ?",
    )
    .all(limit + 1, offset)
    .map((r) => ProgramListRow.parse(r));
  return offsetPage(rows, limit, offset);
}

export const ProgramRow = z.object({ sha256: z.string(), name: z.string(), code: z.string(), created_at: z.string() });
export type ProgramRow = z.infer<typeof ProgramRow>;

export function getProgram(store: Store, sha: string): ProgramRow | undefined {
  const r = store.db.query("SELECT sha256, name, code, created_at FROM persona_programs WHERE sha256 = ?").get(sha);
  return r ? ProgramRow.parse(r) : undefined;
}

/** The program stored just before this one (what its page diffs against when no other is chosen). */
export function previousProgram(store: Store, p: Pick<ProgramRow, "sha256" | "created_at">): string | undefined {
  const r = store.db
    .query("SELECT sha256 FROM persona_programs WHERE (created_at, sha256) < (?, ?) ORDER BY created_at DESC, sha256 DESC LIMIT 1")
    .get(p.created_at, p.sha256) as { sha256: string } | null;
  return r?.sha256;
}

/** Runs and tasks where a program produced personas (the program page's "its personas"). */
export function programTasks(store: Store, sha: string, limit = PAGE_SIZE): { run_id: string; task_id: string; ok: number; personas: number }[] {
  return store.db
    .query(
      `SELECT t.run_id, t.task_id, t.ok, (SELECT count(*) FROM personas p WHERE p.run_id = t.run_id AND p.task_id = t.task_id) AS personas
       FROM persona_tasks t WHERE t.program_sha = ? ORDER BY t.run_id, t.task_id LIMIT ?`,
    )
    .all(sha, limit) as never;
}

export const PersonaFilter = z.object({ runId: z.string().min(1).optional(), offset: z.int().min(0).default(0) });
export type PersonaFilter = z.input<typeof PersonaFilter>;

/** Personas across runs (or one run), by run, task and position. */
export function personasPage(store: Store, filter: PersonaFilter, limit = PAGE_SIZE): Page<PersonaRow> {
  const f = PersonaFilter.parse(filter);
  const rows = (f.runId
    ? store.db.query("SELECT * FROM personas WHERE run_id = ? ORDER BY task_id, idx LIMIT ? OFFSET ?").all(f.runId, limit + 1, f.offset)
    : store.db.query("SELECT * FROM personas ORDER BY run_id, task_id, idx LIMIT ? OFFSET ?").all(limit + 1, f.offset)
  ).map((r) => PersonaRow.parse(r));
  return offsetPage(rows, limit, f.offset);
}

export function getPersona(store: Store, runId: string, taskId: string, idx: number): (PersonaRow & { program_sha: string; domain: string }) | undefined {
  const r = store.db
    .query("SELECT p.*, t.program_sha, t.domain FROM personas p JOIN persona_tasks t USING (run_id, task_id) WHERE p.run_id = ? AND p.task_id = ? AND p.idx = ?")
    .get(runId, taskId, idx) as Record<string, unknown> | null;
  return r ? { ...PersonaRow.parse(r), program_sha: String(r.program_sha), domain: String(r.domain) } : undefined;
}

export function conversationSetsPage(store: Store, kind?: "human" | "simulator"): ConversationSetRow[] {
  return (kind ? store.db.query("SELECT * FROM conversation_sets WHERE kind = ? ORDER BY name").all(kind) : store.db.query("SELECT * FROM conversation_sets ORDER BY name").all()).map((r) =>
    ConversationSetRow.parse(r),
  );
}

export const SetConversationRow = z.object({ ord: z.int(), id: z.string(), task_id: z.string().nullable(), domain: z.string().nullable(), split: z.string() });
export type SetConversationRow = z.infer<typeof SetConversationRow>;

export function setConversationsPage(store: Store, set: string, after = -1, limit = PAGE_SIZE): Page<SetConversationRow> {
  const rows = store.db
    .query("SELECT ord, id, task_id, domain, split FROM set_conversations WHERE set_name = ? AND ord > ? ORDER BY ord LIMIT ?")
    .all(set, after, limit + 1)
    .map((r) => SetConversationRow.parse(r));
  return rows.length > limit ? { items: rows.slice(0, limit), next: rows[limit - 1]!.ord } : { items: rows };
}

/** One stored conversation's JSON text (parse with conversations' Conversation schema). */
export function getSetConversationJson(store: Store, set: string, id: string): string | undefined {
  return (store.db.query("SELECT conversation FROM set_conversations WHERE set_name = ? AND id = ?").get(set, id) as { conversation: string } | null)?.conversation;
}

export const ScoreListRow = z.object({
  id: z.int(),
  discriminator_id: z.string(),
  human_set: z.string(),
  episodes: z.string(),
  hl: z.number(),
  cov: z.number(),
  score: z.number(),
  created_at: z.string(),
});
export type ScoreListRow = z.infer<typeof ScoreListRow>;

/** Stored scores, newest first (the report page). */
export function scoresPage(store: Store, offset = 0, limit = PAGE_SIZE): Page<ScoreListRow> {
  const rows = store.db
    .query("SELECT id, discriminator_id, human_set, episodes, hl, cov, score, created_at FROM scores ORDER BY id DESC LIMIT ? OFFSET ?")
    .all(limit + 1, offset)
    .map((r) => ScoreListRow.parse(r));
  return offsetPage(rows, limit, offset);
}

export function getScoreResultJson(store: Store, id: number): string | undefined {
  return (store.db.query("SELECT result FROM scores WHERE id = ?").get(id) as { result: string } | null)?.result;
}

/** Where a program was evolved: its evolve rows (the first one first) and, for that one, the line of parents to the seed. */
export interface EvolvedProgram {
  run_id: string;
  id: string;
  island: number;
  generation: number;
  angle: string | null;
  mutator_model: string | null;
  status: string;
  reason: string | null;
  metrics_json: string | null;
  validation_json: string | null;
  artifacts_json: string;
  /** From the program back to the seed: each ancestor's id, generation and code sha256. */
  lineage: { id: string; generation: number; code_sha: string }[];
}

export function evolvedProgram(store: Store, codeSha: string): EvolvedProgram | undefined {
  const row = store.db
    .query(
      `SELECT run_id, id, island, generation, angle, mutator_model, status, reason, metrics_json, validation_json, artifacts_json, parent_id
       FROM evolve_programs WHERE code_sha = ? AND kind <> 'migrant' ORDER BY created_at, id LIMIT 1`,
    )
    .get(codeSha) as (Omit<EvolvedProgram, "lineage"> & { parent_id: string | null }) | null;
  if (!row) return undefined;
  const step = store.db.query("SELECT id, generation, code_sha, parent_id FROM evolve_programs WHERE run_id = ? AND id = ?");
  const lineage: EvolvedProgram["lineage"] = [];
  for (let parent = row.parent_id, n = 0; parent && n < 10_000; n++) {
    const p = step.get(row.run_id, parent) as { id: string; generation: number; code_sha: string; parent_id: string | null } | null;
    if (!p) break;
    lineage.push({ id: p.id, generation: p.generation, code_sha: p.code_sha });
    parent = p.parent_id;
  }
  const { parent_id: _p, ...rest } = row;
  return { ...rest, lineage };
}
