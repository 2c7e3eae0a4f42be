/**
 * The programs database of one run, pure and in memory (FunSearch's split: no I/O, no clock, no RNG of
 * its own). Evaluated programs enter their island; the population (parents) and the archive (memory)
 * are capped over all islands, evicting the lowest fitness first but never a grid cell's owner or an
 * island's best. It also keeps what the loop needs between generations: children per parent, the
 * latest failure of each parent's children, the best program and the early-stop counter.
 * The loop rebuilds it by replaying the archive rows in commit order, so it is never saved itself.
 */
import { Island, type Entry } from "./island.ts";
import { tokenSignature } from "./novelty.ts";
import { fitnessOf, rank } from "./ranking.ts";
import type { EvolveOptions, Scored } from "./types.ts";

export class ProgramDatabase {
  readonly islands: Island[];
  private readonly entries = new Map<string, Entry>();
  private readonly childCount = new Map<string, number>();
  private readonly failures = new Map<string, string>();
  private order = 0;
  /** Best train score over the run (seed and children; migrants are copies). */
  best: Entry | undefined;
  /** Evaluations committed (evaluated or failed), and how many since the best last improved. */
  evaluations = 0;
  sinceBest = 0;

  constructor(private readonly options: EvolveOptions) {
    this.islands = Array.from({ length: options.islands }, (_, i) => new Island(i, options.grid_bins));
  }

  get(id: string): Entry | undefined {
    return this.entries.get(id);
  }

  /** Every program that entered, in commit order (evicted ones included). */
  all(): Entry[] {
    return [...this.entries.values()];
  }

  children(id: string): number {
    return this.childCount.get(id) ?? 0;
  }

  /** Error text of the latest failed child of a parent (fed to the next proposal from it). */
  lastFailure(id: string): string | undefined {
    return this.failures.get(id);
  }

  /** An evaluated program joins its island; a seed or child also counts as an evaluation. */
  add(program: Scored): Entry {
    const entry: Entry = { ...program, signature: tokenSignature(program.code), order: this.order++ };
    this.entries.set(entry.id, entry);
    this.islands[entry.island]!.add(entry);
    if (entry.kind !== "migrant") this.countEvaluation(entry);
    this.trim();
    return entry;
  }

  /** A committed child: its parent gets one more child; a failure is remembered for the next prompt. */
  noteChild(parentId: string, failure?: string) {
    this.childCount.set(parentId, this.children(parentId) + 1);
    if (failure !== undefined) this.failures.set(parentId, failure);
    else this.failures.delete(parentId);
  }

  /** A failed evaluation (it spent an evaluation but joins nothing). */
  noteFailedEvaluation() {
    this.evaluations++;
    this.sinceBest++;
  }

  private countEvaluation(entry: Entry) {
    this.evaluations++;
    if (!this.best || entry.metrics.score > this.best.metrics.score) {
      this.best = entry;
      this.sinceBest = 0;
    } else this.sinceBest++;
  }

  /** Programs in the population, over all islands. */
  populationSize(): number {
    return this.islands.reduce((n, i) => n + i.population.size, 0);
  }

  archiveSize(): number {
    return this.islands.reduce((n, i) => n + i.archive.size, 0);
  }

  private trim() {
    const { population, archive, objective } = this.options;
    // Population: the weakest parent that owns no cell and is not its island's best leaves (stays in the archive).
    while (this.populationSize() > population) {
      const victim = this.weakest((i) => [...i.population.values()], objective);
      if (!victim) break;
      this.islands[victim.island]!.population.delete(victim.id);
    }
    // Archive: forget the weakest that is no longer a parent and owns no cell.
    while (this.archiveSize() > archive) {
      const victim = this.weakest((i) => [...i.archive.values()].filter((e) => !i.population.has(e.id)), objective);
      if (!victim) break;
      this.islands[victim.island]!.forget(victim.id);
    }
  }

  private weakest(pick: (island: Island) => Entry[], objective: EvolveOptions["objective"]): Entry | undefined {
    const all = this.islands.flatMap((i) => [...i.population.values()]);
    const candidates = this.islands.flatMap((island) => {
      const best = island.best();
      return pick(island).filter((e) => e !== best && !island.grid.isOwner(e.id));
    });
    if (!candidates.length) return undefined;
    const fitness = fitnessOf([...new Set([...all, ...candidates])], objective);
    return rank(candidates, fitness).at(-1);
  }
}
