/**
 * A run's in-memory state: the programs database, the mutator bandit and the count of finished slots,
 * advanced only by committing slots and migrants in a fixed order. The loop commits live results; a
 * resume or a summary replays the archive rows through the same two methods.
 */
import { MutatorBandit } from "./bandit.ts";
import { ProgramDatabase } from "./database.ts";
import type { EvolveOptions, Program, Scored } from "./types.ts";

export class RunState {
  readonly db: ProgramDatabase;
  readonly bandit: MutatorBandit | undefined;
  /** Child slots committed (each ends in an evaluation, a failure, or all its proposals rejected). */
  iterations = 0;

  constructor(options: EvolveOptions, mutatorTargets: number) {
    this.db = new ProgramDatabase(options);
    this.bandit = options.mutator_bandit && mutatorTargets > 1 ? new MutatorBandit(mutatorTargets) : undefined;
  }

  /** Rebuild from archive rows (replay order) up to and including generation `committed`. */
  static replay(options: EvolveOptions, mutatorTargets: number, programs: readonly Program[], committed: number): RunState {
    const state = new RunState(options, mutatorTargets);
    for (let g = 0; g <= committed; g++) {
      const rows = programs.filter((p) => p.generation === g);
      const slots = new Map<number, Program[]>();
      for (const p of rows) {
        if (p.kind === "seed") state.db.add(p as Scored);
        else if (p.kind === "child") (slots.get(p.slot) ?? slots.set(p.slot, []).get(p.slot)!).push(p);
      }
      [...slots.keys()].sort((a, b) => a - b).forEach((s) => state.commitSlot(slots.get(s)!));
      state.commitMigrants(rows.filter((p) => p.kind === "migrant"));
    }
    return state;
  }

  /** One slot's proposals in order; the last decides: a child joins its island, a failure is remembered. */
  commitSlot(attempts: readonly Program[]) {
    const last = attempts.at(-1)!;
    const parent = this.db.get(last.parentId!)!;
    let improved = false;
    if (last.status === "evaluated") {
      improved = last.metrics!.score > parent.metrics.score;
      this.db.noteChild(parent.id);
      this.db.add(last as Scored);
    } else {
      if (last.status === "failed") this.db.noteFailedEvaluation();
      this.db.noteChild(parent.id, `${last.reason}: ${last.error ?? ""}`);
    }
    if (last.mutatorTarget !== null)
      this.bandit?.record(
        last.mutatorTarget,
        improved,
        attempts.reduce((s, p) => s + p.tokens, 0),
      );
    this.iterations++;
  }

  commitMigrants(migrants: readonly Program[]) {
    for (const m of migrants) this.db.add(m as Scored);
  }
}
