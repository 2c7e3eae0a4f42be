/** Persona archive queries (migrations 005, 008): programs by hash, per-task outcomes, valid personas with their warnings. */
import { z } from "zod";
import type { Store } from "./db.ts";

export const PersonaRow = z.object({
  run_id: z.string(),
  task_id: z.string(),
  idx: z.number(),
  persona_id: z.string(),
  description: z.string(),
  axis_placement_json: z.string(),
  reasoning: z.string(),
  expanded_instruction: z.string(),
  warnings_json: z.string(),
});
export type PersonaRow = z.infer<typeof PersonaRow>;

export interface PersonaTaskRecord {
  runId: string;
  taskId: string;
  programSha: string;
  domain: string;
  n: number;
  ok: boolean;
  errorKind: string | null;
  error: string | null;
  failures: unknown[];
  stdout: string;
  stderr: string;
  ms: number;
  personas: { persona_id: string; description: string; axis_placement: Record<string, boolean>; reasoning: string; expanded_instruction: string; warnings: string[] }[];
}

export function savePersonaProgram(store: Store, program: { sha256: string; name: string; code: string; now: Date }) {
  store.db
    .query("INSERT INTO persona_programs (sha256, name, code, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")
    .run(program.sha256, program.name, program.code, program.now.toISOString());
}

/** One task's outcome and its valid personas, in one transaction (replaces an earlier attempt). */
export function savePersonaTask(store: Store, r: PersonaTaskRecord, now: Date) {
  store.tx(() => {
    store.db.query("DELETE FROM persona_tasks WHERE run_id = ? AND task_id = ?").run(r.runId, r.taskId);
    store.db
      .query(
        "INSERT INTO persona_tasks (run_id, task_id, program_sha, domain, n, ok, error_kind, error, failures_json, stdout, stderr, ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(r.runId, r.taskId, r.programSha, r.domain, r.n, r.ok ? 1 : 0, r.errorKind, r.error, JSON.stringify(r.failures), r.stdout, r.stderr, r.ms, now.toISOString());
    const insert = store.db.query(
      "INSERT INTO personas (run_id, task_id, idx, persona_id, description, axis_placement_json, reasoning, expanded_instruction, warnings_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    r.personas.forEach((p, idx) =>
      insert.run(r.runId, r.taskId, idx, p.persona_id, p.description, JSON.stringify(p.axis_placement), p.reasoning, p.expanded_instruction, JSON.stringify(p.warnings)),
    );
  });
}

export function listPersonas(store: Store, runId: string, taskId?: string): PersonaRow[] {
  const rows = taskId
    ? store.db.query("SELECT * FROM personas WHERE run_id = ? AND task_id = ? ORDER BY idx").all(runId, taskId)
    : store.db.query("SELECT * FROM personas WHERE run_id = ? ORDER BY task_id, idx").all(runId);
  return rows.map((r) => PersonaRow.parse(r));
}

/** Each task of a personas run: whether its program succeeded, and why not (the run page lists them). */
export function personaTaskOutcomes(store: Store, runId: string): { task_id: string; ok: number; error_kind: string | null; error: string | null; failures_json: string }[] {
  return store.db.query("SELECT task_id, ok, error_kind, error, failures_json FROM persona_tasks WHERE run_id = ? ORDER BY task_id").all(runId) as never;
}

/** How a personas run went: tasks tried, tasks that failed, personas stored. */
export function personaRunCounts(store: Store, runId: string): { tasks: number; failed: number; personas: number } {
  const t = store.db.query("SELECT count(*) AS tasks, coalesce(sum(ok = 0), 0) AS failed FROM persona_tasks WHERE run_id = ?").get(runId) as { tasks: number; failed: number };
  const p = store.db.query("SELECT count(*) AS n FROM personas WHERE run_id = ?").get(runId) as { n: number };
  return { ...t, personas: p.n };
}

export interface StoredProgram {
  sha256: string;
  name: string;
  code: string;
}

/** Stored generator programs whose sha256 starts with `prefix` (a full hash gives at most one). */
export function findPersonaPrograms(store: Store, prefix: string): StoredProgram[] {
  return store.db.query("SELECT sha256, name, code FROM persona_programs WHERE sha256 LIKE ? || '%' ORDER BY sha256").all(prefix.toLowerCase()) as StoredProgram[];
}

/** The distinct programs a personas run generated with. */
export function runProgramShas(store: Store, runId: string): string[] {
  return (store.db.query("SELECT DISTINCT program_sha FROM persona_tasks WHERE run_id = ? ORDER BY program_sha").all(runId) as { program_sha: string }[]).map((r) => r.program_sha);
}
