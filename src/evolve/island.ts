/** One island: its parents (population), what it remembers (archive ⊇ population) and its grid. */
import { Grid } from "./grid.ts";
import type { TokenSignature } from "./novelty.ts";
import type { Scored } from "./types.ts";

/** An evaluated program inside the database. `order` is its commit position in the run (ties go to the older). */
export type Entry = Scored & { signature: TokenSignature; order: number };

export class Island {
  readonly grid: Grid<Entry>;
  /** Programs eligible as parents. */
  readonly population = new Map<string, Entry>();
  /** Programs kept for inspirations, novelty checks and the grid (population included). */
  readonly archive = new Map<string, Entry>();
  private readonly shas = new Map<string, number>();

  constructor(
    readonly id: number,
    bins: number,
  ) {
    this.grid = new Grid<Entry>(bins);
  }

  add(entry: Entry) {
    this.population.set(entry.id, entry);
    this.archive.set(entry.id, entry);
    this.shas.set(entry.codeSha, (this.shas.get(entry.codeSha) ?? 0) + 1);
    this.grid.place(entry);
  }

  /** Drop from the archive (and so from the population). */
  forget(id: string) {
    const entry = this.archive.get(id);
    if (!entry) return;
    this.archive.delete(id);
    this.population.delete(id);
    const n = this.shas.get(entry.codeSha)! - 1;
    if (n) this.shas.set(entry.codeSha, n);
    else this.shas.delete(entry.codeSha);
  }

  /** True when the archive holds a program with exactly this code. */
  holds(codeSha: string): boolean {
    return this.shas.has(codeSha);
  }

  /** Highest train score (older first on ties). */
  best(): Entry | undefined {
    let best: Entry | undefined;
    for (const e of this.population.values()) if (!best || e.metrics.score > best.metrics.score || (e.metrics.score === best.metrics.score && e.order < best.order)) best = e;
    return best;
  }
}
