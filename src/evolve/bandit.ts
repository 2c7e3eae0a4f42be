/**
 * Which mutator target to ask (when several are configured and `mutator_bandit` is on): Thompson
 * sampling of each target's chance that a child improves on its parent, divided by its relative tokens
 * per proposal, so a cheap model that improves as often wins. State comes from committed children only,
 * so every slot of a generation sees the same statistics whatever the parallelism.
 */
import type { Rng } from "../rng.ts";

interface Arm {
  children: number;
  improved: number;
  tokens: number;
}

export class MutatorBandit {
  private readonly arms: Arm[];

  constructor(targets: number) {
    this.arms = Array.from({ length: targets }, () => ({ children: 0, improved: 0, tokens: 0 }));
  }

  /** A committed child made by `target` (tokens: everything its slot's proposals spent). */
  record(target: number, improved: boolean, tokens: number) {
    const arm = this.arms[target];
    if (!arm) return;
    arm.children++;
    if (improved) arm.improved++;
    arm.tokens += tokens;
  }

  choose(rng: Rng): number {
    const perChild = this.arms.map((a) => (a.children ? a.tokens / a.children : 0));
    const known = perChild.filter((t) => t > 0);
    const mean = known.length ? known.reduce((s, t) => s + t, 0) / known.length : 1;
    let best = 0;
    let bestValue = -Infinity;
    this.arms.forEach((arm, i) => {
      const chance = betaSample(rng, 1 + arm.improved, 1 + arm.children - arm.improved);
      const value = chance / ((perChild[i] || mean) / mean);
      if (value > bestValue) [best, bestValue] = [i, value];
    });
    return best;
  }

  stats(): readonly Readonly<Arm>[] {
    return this.arms;
  }
}

/** Beta(a, b) for whole a, b ≥ 1: X/(X+Y) with X, Y sums of exponentials (Gamma of whole shape); large counts are scaled down. */
function betaSample(rng: Rng, a: number, b: number): number {
  const cap = 200;
  const k = Math.max(a, b) > cap ? cap / Math.max(a, b) : 1;
  const gamma = (shape: number) => {
    let sum = 0;
    for (let i = 0; i < Math.max(1, Math.round(shape)); i++) sum -= Math.log(1 - rng.next());
    return sum;
  };
  const x = gamma(a * k);
  return x / (x + gamma(b * k));
}
