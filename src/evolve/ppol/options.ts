/**
 * PPol's evaluation options (reference defaults) and the `[evolve]` section of ppol.toml, which holds
 * both these and the engine's options: the engine's zod schema (EvolveOptions) stays the single source
 * of its names, PpolOptions of these; a key neither knows is refused with the nearest name.
 */
import { z } from "zod";
import { closest, InputError } from "../../errors.ts";
import { EvolveOptions, type EvolveOptionsInput } from "../types.ts";

export const PpolOptions = z.strictObject({
  /** Train tasks per evaluation (the sliding batch). */
  batch_size: z.int().positive().default(5),
  /** [epoch threshold, personas per task] ascending: N = 5 → 8 → 10 over epochs 1, 2, 3+. */
  personas_schedule: z
    .array(z.tuple([z.int().positive(), z.int().positive()]))
    .min(1)
    .default([
      [1, 5],
      [2, 8],
      [3, 10],
    ]),
  /** N_final: the curriculum weights' denominator (λ_c = 0.5·N/N_final) and the validation's personas per task. */
  personas_final: z.int().positive().default(10),
  /** Orchestrator steps per episode: training batches, validation, the base-simulator bootstrap. */
  train_max_steps: z.int().positive().default(20),
  validation_max_steps: z.int().positive().default(30),
  bootstrap_max_steps: z.int().positive().default(30),
  /** Share of the train pool held out for validation, drawn with Python's random.Random(split_seed). */
  validation_fraction: z.number().gt(0).lt(1).default(0.2),
  split_seed: z.int().nonnegative().default(42),
  /** Ask the reflector role for feedback on each train evaluation (the mutator's artifact). */
  reflection: z.boolean().default(true),
  /** Episodes in flight within one evaluation (default: [defaults].concurrency). Never changes results. */
  episode_concurrency: z.int().positive().optional(),
  /** Sandbox processes generating personas at once within one evaluation. */
  generation_concurrency: z.int().positive().default(2),
  /** A generator program still running after this is killed (its task fails). */
  sandbox_timeout_ms: z.int().positive().default(300_000),
});
export type PpolOptions = z.output<typeof PpolOptions>;

const ENGINE_KEYS = new Set(Object.keys(EvolveOptions.shape));
const PPOL_KEYS = new Set(Object.keys(PpolOptions.shape));

/**
 * Split a loose `[evolve]` record into engine and PPol options and check both (names and values), so a
 * typo fails before any run exists. `where` names the source for the message (e.g. "ppol.toml [evolve]").
 */
export function parseEvolveSection(section: Record<string, unknown>, where: string): { engine: EvolveOptionsInput; ppol: PpolOptions } {
  const engine: Record<string, unknown> = {};
  const ppol: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (ENGINE_KEYS.has(key)) engine[key] = value;
    else if (PPOL_KEYS.has(key)) ppol[key] = value;
    else {
      const hint = closest(key, [...ENGINE_KEYS, ...PPOL_KEYS]);
      throw new InputError(`${where}: unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ""}`, "see `ppol evolve --help` for the evolve options");
    }
  }
  const checked = EvolveOptions.safeParse(engine);
  if (!checked.success) throw new InputError(`${where}: ${checked.error.issues[0]!.path.join(".")}: ${checked.error.issues[0]!.message}`);
  const parsed = PpolOptions.safeParse(ppol);
  if (!parsed.success) throw new InputError(`${where}: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
  return { engine: engine as EvolveOptionsInput, ppol: parsed.data };
}
