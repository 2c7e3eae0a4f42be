/**
 * PPol evolution archive queries (migration 012): a run's bootstrap (base simulator run, discriminator)
 * and the link from each evaluation (program × phase) to the simulate-kind run holding its personas
 * and episodes. Plain rows; src/evolve/ppol decides what they mean.
 */
import { z } from "zod";
import type { Store } from "./db.ts";
import { createRun } from "./runs.ts";

export const EvolvePhase = z.enum(["train", "validation"]);
export type EvolvePhase = z.infer<typeof EvolvePhase>;

export const EvolveBootstrapRow = z.object({ run_id: z.string(), base_run_id: z.string().nullable(), discriminator_id: z.string(), created_at: z.string() });
export type EvolveBootstrapRow = z.infer<typeof EvolveBootstrapRow>;

export const EvolveEvaluationRow = z.object({
  run_id: z.string(),
  program_id: z.string(),
  phase: EvolvePhase,
  episodes_run_id: z.string(),
  iteration: z.int(),
  epoch: z.int(),
  personas_per_task: z.int(),
  task_ids_json: z.string(),
  reflection_error: z.string().nullable(),
  created_at: z.string(),
});
export type EvolveEvaluationRow = z.infer<typeof EvolveEvaluationRow>;

export function saveEvolveBootstrap(store: Store, row: Omit<EvolveBootstrapRow, "created_at">, now: Date) {
  store.db
    .query("INSERT OR REPLACE INTO evolve_bootstrap (run_id, base_run_id, discriminator_id, created_at) VALUES (?, ?, ?, ?)")
    .run(row.run_id, row.base_run_id, row.discriminator_id, now.toISOString());
}

export function getEvolveBootstrap(store: Store, runId: string): EvolveBootstrapRow | undefined {
  const row = store.db.query("SELECT * FROM evolve_bootstrap WHERE run_id = ?").get(runId);
  return row ? EvolveBootstrapRow.parse(row) : undefined;
}

/**
 * Start (or restart) an evaluation: whatever an interrupted attempt left (its run, personas, episodes) is
 * deleted, then its simulate-kind run and the link are created, all in one transaction.
 */
export function beginEvolveEvaluation(
  store: Store,
  row: Omit<EvolveEvaluationRow, "reflection_error" | "created_at">,
  run: { config: unknown; seed: number; version: string; now: Date },
) {
  store.tx(() => {
    store.db.query("DELETE FROM evolve_evaluations WHERE run_id = ? AND program_id = ? AND phase = ?").run(row.run_id, row.program_id, row.phase);
    store.db.query("DELETE FROM runs WHERE id = ?").run(row.episodes_run_id);
    createRun(store, { id: row.episodes_run_id, kind: "simulate", config: run.config, seed: run.seed, version: run.version, now: run.now, parent: row.run_id });
    store.db
      .query(
        "INSERT INTO evolve_evaluations (run_id, program_id, phase, episodes_run_id, iteration, epoch, personas_per_task, task_ids_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(row.run_id, row.program_id, row.phase, row.episodes_run_id, row.iteration, row.epoch, row.personas_per_task, row.task_ids_json, run.now.toISOString());
  });
}

export function setEvolveReflectionError(store: Store, runId: string, programId: string, error: string) {
  store.db.query("UPDATE evolve_evaluations SET reflection_error = ? WHERE run_id = ? AND program_id = ? AND phase = 'train'").run(error, runId, programId);
}

export function listEvolveEvaluations(store: Store, runId: string): EvolveEvaluationRow[] {
  return store.db
    .query("SELECT * FROM evolve_evaluations WHERE run_id = ? ORDER BY created_at, program_id, phase")
    .all(runId)
    .map((r) => EvolveEvaluationRow.parse(r));
}
