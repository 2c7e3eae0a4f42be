/**
 * The deterministic plan of a simulation run: tasks × personas × trials, each with a stable id,
 * ordinal and seed, so a resumed run recomputes exactly the same plan and skips what is done.
 */
export interface PersonaRef {
  /** Stable key within the run (e.g. "p3" or the generator's persona_id); "" = no persona. */
  key: string;
  text: string | null;
}

export interface PlannedEpisode {
  id: string;
  ordinal: number;
  taskId: string;
  trial: number;
  persona: PersonaRef;
  seed: number;
}

export const NO_PERSONA: PersonaRef = { key: "", text: null };

export function planEpisodes(opts: {
  runId: string;
  taskIds: readonly string[];
  /** Personas per task id; a task without an entry runs with the base simulator. */
  personas: ReadonlyMap<string, readonly PersonaRef[]>;
  trials: number;
  seed: number;
}): PlannedEpisode[] {
  const plan: PlannedEpisode[] = [];
  for (const taskId of opts.taskIds) {
    const personas = opts.personas.get(taskId) ?? [NO_PERSONA];
    for (const persona of personas.length ? personas : [NO_PERSONA]) {
      for (let trial = 0; trial < opts.trials; trial++) {
        plan.push({
          id: `${opts.runId}:${taskId}:${persona.key || "base"}:${trial}`,
          ordinal: plan.length,
          taskId,
          trial,
          persona,
          // One seed per trial, as τ²'s runner derives them: the same for every task of that trial.
          seed: trialSeed(opts.seed, trial),
        });
      }
    }
  }
  return plan;
}

/** A well-mixed 31-bit seed from (run seed, trial). */
export function trialSeed(seed: number, trial: number): number {
  let h = (seed ^ 0x9e3779b9) + Math.imul(trial + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 1;
}
