/**
 * Parent selection and prompt context for one island, pure over the database and an injected RNG.
 *
 * ppol: with probability `exploration` the owner of a random occupied grid cell; with `exploitation` an
 * elite (top `elite_ratio` of the island's population); otherwise anyone in the population. Within the
 * elites and the population the draw is scale-free: weight = sigmoid(pressure · (f − median) / spread)
 * / (1 + children), with f the fitness, median and spread (median absolute deviation) over the island,
 * so neither the scale of the score nor one prolific parent dominates.
 * uniform: any program of the island's population, whatever its fitness (the ablation baseline:
 * islands, caps, grid and migration stay as they are).
 */
import type { Rng } from "../rng.ts";
import type { ProgramDatabase } from "./database.ts";
import type { Entry } from "./island.ts";
import { fitnessOf, rank } from "./ranking.ts";
import type { EvolveOptions } from "./types.ts";

export interface ParentContext {
  parent: Entry;
  /** The island's best programs other than the parent, best first. */
  top: Entry[];
  /** Owners of other grid cells of the island. */
  inspirations: Entry[];
}

export function selectParent(db: ProgramDatabase, islandId: number, rng: Rng, options: EvolveOptions): Entry {
  const island = db.islands[islandId]!;
  const members = [...island.population.values()];
  if (options.selection === "uniform") return members[rng.int(members.length)]!;
  const fitness = fitnessOf(members, options.objective);
  const r = rng.next();
  if (r < options.exploration && island.grid.size) {
    const cells = island.grid.cells();
    return cells[rng.int(cells.length)]![1];
  }
  if (r < options.exploration + options.exploitation) {
    const elites = rank(members, fitness).slice(0, Math.max(1, Math.ceil(options.elite_ratio * members.length)));
    return weightedPick(elites, members, fitness, db, rng, options.selection_pressure);
  }
  return weightedPick(members, members, fitness, db, rng, options.selection_pressure);
}

/** Scale-free weighted draw from `pool`, centred and scaled on the whole island. */
export function weightedPick(pool: readonly Entry[], island: readonly Entry[], fitness: ReadonlyMap<string, number>, db: ProgramDatabase, rng: Rng, pressure: number): Entry {
  const values = island.map((e) => fitness.get(e.id)!);
  const mid = median(values);
  const spread = median(values.map((v) => Math.abs(v - mid))) || (Math.max(...values) - Math.min(...values)) / 2 || 1;
  const weights = pool.map((e) => 1 / (1 + Math.exp(-pressure * ((fitness.get(e.id)! - mid) / spread))) / (1 + db.children(e.id)));
  let x = rng.next() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < pool.length; i++) {
    x -= weights[i]!;
    if (x < 0) return pool[i]!;
  }
  return pool.at(-1)!;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The parent, the island's top programs and inspirations from other cells, for one proposal. */
export function parentContext(db: ProgramDatabase, islandId: number, rng: Rng, options: EvolveOptions): ParentContext {
  const parent = selectParent(db, islandId, rng, options);
  const island = db.islands[islandId]!;
  const members = [...island.population.values()];
  const top = rank(members, fitnessOf(members, options.objective))
    .filter((e) => e.id !== parent.id)
    .slice(0, options.top_programs);
  const taken = new Set([parent.id, ...top.map((e) => e.id)]);
  const others = island.grid
    .cells()
    .map(([, owner]) => owner)
    .filter((e) => !taken.has(e.id));
  const inspirations: Entry[] = [];
  while (inspirations.length < options.inspirations && others.length) inspirations.push(others.splice(rng.int(others.length), 1)[0]!);
  return { parent, top, inspirations };
}
