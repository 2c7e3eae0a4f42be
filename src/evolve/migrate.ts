/**
 * Ring migration, pure: island i sends copies of its best `migration_rate` share of parents to island
 * i + 1. Migrants never migrate again, and a copy is skipped when the destination already has that code.
 * Every island's senders are chosen before any copy lands, so the order of islands does not matter.
 */
import type { ProgramDatabase } from "./database.ts";
import type { Entry } from "./island.ts";
import { fitnessOf, rank } from "./ranking.ts";
import type { EvolveOptions } from "./types.ts";

export interface Migration {
  source: Entry;
  to: number;
}

export function planMigration(db: ProgramDatabase, options: EvolveOptions): Migration[] {
  if (db.islands.length < 2 || options.migration_rate <= 0) return [];
  return db.islands.flatMap((island) => {
    const members = [...island.population.values()];
    const count = Math.ceil(options.migration_rate * members.length);
    const to = (island.id + 1) % db.islands.length;
    return rank(members.filter((e) => e.kind !== "migrant"), fitnessOf(members, options.objective))
      .slice(0, count)
      .filter((e) => !db.islands[to]!.holds(e.codeSha))
      .map((source) => ({ source, to }));
  });
}

/** Whether generation g ends with a migration. */
export const migratesAfter = (generation: number, options: EvolveOptions) => options.migration_interval > 0 && generation > 0 && generation % options.migration_interval === 0;
