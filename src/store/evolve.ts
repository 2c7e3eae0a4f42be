/**
 * Program-evolution archive queries (migration 010). Rows are plain columns with JSON text; the engine
 * (src/evolve) parses them. A proposal is inserted the moment it exists and its evaluation and
 * validation are written onto it as they arrive; a generation commit and its migrants go in one transaction.
 */
import { z } from "zod";
import type { Store } from "./db.ts";
import { createRun, getRun, type RunRow, type RunStatus, setRunStatus } from "./runs.ts";

export const EvolveProgramRow = z.object({
  run_id: z.string(),
  id: z.string(),
  kind: z.enum(["seed", "child", "migrant"]),
  generation: z.int(),
  slot: z.int(),
  attempt: z.int(),
  island: z.int(),
  parent_id: z.string().nullable(),
  source_id: z.string().nullable(),
  code: z.string(),
  code_sha: z.string(),
  diff: z.string(),
  angle: z.string().nullable(),
  mutator_model: z.string().nullable(),
  mutator_target: z.int().nullable(),
  request_hashes_json: z.string(),
  tokens: z.int(),
  status: z.enum(["proposed", "rejected", "evaluated", "failed"]),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  metrics_json: z.string().nullable(),
  descriptors_json: z.string().nullable(),
  objectives_json: z.string().nullable(),
  artifacts_json: z.string(),
  validation_json: z.string().nullable(),
  created_at: z.string(),
  evaluated_at: z.string().nullable(),
});
export type EvolveProgramRow = z.infer<typeof EvolveProgramRow>;

/** What an evaluation writes onto its program row. */
export type EvolveEvaluationPatch = Pick<EvolveProgramRow, "status" | "reason" | "error" | "metrics_json" | "descriptors_json" | "objectives_json" | "artifacts_json" | "evaluated_at">;

export const EvolveGenerationRow = z.object({
  run_id: z.string(),
  generation: z.int(),
  evaluations: z.int(),
  since_best: z.int(),
  best_id: z.string().nullable(),
  committed_at: z.string(),
});
export type EvolveGenerationRow = z.infer<typeof EvolveGenerationRow>;

export interface EvolveRunRow {
  run: RunRow;
  options_json: string;
  problem_sha: string;
  stop_reason: string | null;
  final_id: string | null;
}

const PROGRAM_COLUMNS = Object.keys(EvolveProgramRow.shape) as (keyof EvolveProgramRow)[];
const INSERT_PROGRAM = `INSERT INTO evolve_programs (${PROGRAM_COLUMNS.join(", ")}) VALUES (${PROGRAM_COLUMNS.map(() => "?").join(", ")})`;

/** A new evolve run: the `runs` row (kind "evolve") and its options, in one transaction. */
export function createEvolveRun(store: Store, run: { id: string; config: unknown; options: unknown; problemSha: string; seed: number; version: string; now: Date }) {
  store.tx(() => {
    createRun(store, { id: run.id, kind: "evolve", config: run.config, seed: run.seed, version: run.version, now: run.now });
    store.db.query("INSERT INTO evolve_runs (run_id, options_json, problem_sha, updated_at) VALUES (?, ?, ?, ?)").run(run.id, JSON.stringify(run.options), run.problemSha, run.now.toISOString());
  });
}

export function getEvolveRun(store: Store, runId: string): EvolveRunRow | undefined {
  const run = getRun(store, runId);
  if (!run) return undefined;
  const row = store.db.query("SELECT options_json, problem_sha, stop_reason, final_id FROM evolve_runs WHERE run_id = ?").get(runId) as Omit<EvolveRunRow, "run"> | null;
  return row ? { run, ...row } : undefined;
}

/** The run's status (with its history, see setRunStatus), why it stopped and the chosen program, together. */
export function setEvolveRunStatus(store: Store, runId: string, s: { status: RunStatus; stop_reason: string | null; final_id: string | null; now: Date }) {
  store.tx(() => {
    setRunStatus(store, runId, s.status, s.now, s.stop_reason ?? undefined);
    store.db.query("UPDATE evolve_runs SET stop_reason = ?, final_id = ?, updated_at = ? WHERE run_id = ?").run(s.stop_reason, s.final_id, s.now.toISOString(), runId);
  });
}

export function insertEvolveProgram(store: Store, row: EvolveProgramRow) {
  store.db.query(INSERT_PROGRAM).run(...PROGRAM_COLUMNS.map((c) => row[c]));
}

export function recordEvolveEvaluation(store: Store, runId: string, id: string, p: EvolveEvaluationPatch) {
  store.db
    .query("UPDATE evolve_programs SET status = ?, reason = ?, error = ?, metrics_json = ?, descriptors_json = ?, objectives_json = ?, artifacts_json = ?, evaluated_at = ? WHERE run_id = ? AND id = ?")
    .run(p.status, p.reason, p.error, p.metrics_json, p.descriptors_json, p.objectives_json, p.artifacts_json, p.evaluated_at, runId, id);
}

export function recordEvolveValidation(store: Store, runId: string, id: string, validationJson: string) {
  store.db.query("UPDATE evolve_programs SET validation_json = ? WHERE run_id = ? AND id = ?").run(validationJson, runId, id);
}

/** Every program of a run in replay order: generation, then seed/child before migrants, slot, attempt. */
export function listEvolvePrograms(store: Store, runId: string): EvolveProgramRow[] {
  return store.db
    .query("SELECT * FROM evolve_programs WHERE run_id = ? ORDER BY generation, kind = 'migrant', slot, attempt")
    .all(runId)
    .map((r) => EvolveProgramRow.parse(r));
}

/** A generation's end: its bookkeeping row and the migrants it created, together or not at all. */
export function commitEvolveGeneration(store: Store, generation: EvolveGenerationRow, migrants: readonly EvolveProgramRow[]) {
  store.tx(() => {
    for (const m of migrants) insertEvolveProgram(store, m);
    store.db
      .query("INSERT INTO evolve_generations (run_id, generation, evaluations, since_best, best_id, committed_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(generation.run_id, generation.generation, generation.evaluations, generation.since_best, generation.best_id, generation.committed_at);
  });
}

export function listEvolveGenerations(store: Store, runId: string): EvolveGenerationRow[] {
  return store.db
    .query("SELECT * FROM evolve_generations WHERE run_id = ? ORDER BY generation")
    .all(runId)
    .map((r) => EvolveGenerationRow.parse(r));
}
