/** The selection fitness of a set of programs: the train score, or the Pareto order over the objectives. */
import type { Entry } from "./island.ts";
import { paretoFitness } from "./pareto.ts";

export type Objective = "scalar" | "pareto";

/** Objectives of a program; a program without any competes on its score alone. */
export const objectivesOf = (e: Entry): number[] => (e.objectives.length ? e.objectives : [e.metrics.score]);

export function fitnessOf(entries: readonly Entry[], objective: Objective): Map<string, number> {
  if (objective === "scalar") return new Map(entries.map((e) => [e.id, e.metrics.score]));
  const f = paretoFitness(entries.map(objectivesOf));
  return new Map(entries.map((e, i) => [e.id, f[i]!]));
}

/** Entries best first (higher fitness, then higher score, then older). */
export function rank(entries: readonly Entry[], fitness: ReadonlyMap<string, number>): Entry[] {
  return [...entries].sort((a, b) => fitness.get(b.id)! - fitness.get(a.id)! || b.metrics.score - a.metrics.score || a.order - b.order);
}
