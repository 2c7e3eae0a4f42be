/** Weighted choice of a role's target, preferring endpoints whose circuit breaker lets calls through. */
import type { RoleTarget } from "../config/index.ts";
import type { Rng } from "./runtime.ts";

/**
 * Pick one target with probability proportional to weight among the `available` ones; if none is
 * available, among all (the caller then waits for the breaker). Always draws exactly one number from
 * rng so the random stream does not depend on endpoint health.
 */
export function chooseTarget(targets: readonly RoleTarget[], rng: Rng, available: (t: RoleTarget) => boolean = () => true): RoleTarget {
  const r = rng.next();
  const healthy = targets.filter(available);
  const pool = healthy.length ? healthy : targets;
  const total = pool.reduce((s, t) => s + t.weight, 0);
  let x = r * total;
  for (const t of pool) {
    x -= t.weight;
    if (x < 0) return t;
  }
  return pool[pool.length - 1]!;
}
