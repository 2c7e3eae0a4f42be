/**
 * What a PPol evolve run was asked to do, stored with the run (runs.config_json, key "ppol") so that
 * `--resume` rebuilds the very same problem and evaluator: domain and data, the human reference, the
 * program, the train/validation split, the options and what the episodes ran with.
 */
import { z } from "zod";
import { PpolOptions } from "./options.ts";

export const PpolPlan = z.object({
  domain: z.string(),
  /** The task selection the pool came from (a split name or ids), for the record. */
  pool: z.string(),
  human: z.string(),
  /** A discriminator given with --discriminator (null: the run trains its own). */
  discriminator: z.string().nullable(),
  program: z.object({ name: z.string(), code: z.string(), sha256: z.string() }),
  train_ids: z.array(z.string()).min(1),
  validation_ids: z.array(z.string()).min(1),
  options: PpolOptions,
  cues: z.string(),
  data_hash: z.string(),
  tool_schemas: z.object({ source: z.string(), sha256: z.string().nullable() }),
  user_guidelines: z.object({ name: z.string(), sha256: z.string() }),
  unsafe_sandbox: z.boolean(),
});
export type PpolPlan = z.infer<typeof PpolPlan>;

/** The run's config document: the plan plus the effective config it started with. */
export const PpolRunConfig = z.object({ ppol: PpolPlan }).loose();
