/** Multi-objective ranking (all objectives maximised): non-dominated sorting and crowding distance (NSGA-II). */

/** True when a is at least as good as b everywhere and better somewhere. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? -Infinity;
    if (x < y) return false;
    if (x > y) better = true;
  }
  return better;
}

/** Front index of each point: 0 = not dominated by any, 1 = dominated only by front 0, … */
export function nonDominatedRanks(points: readonly (readonly number[])[]): number[] {
  const n = points.length;
  const dominatedBy = new Array<number>(n).fill(0);
  const dominating: number[][] = points.map(() => []);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      if (dominates(points[i]!, points[j]!)) (dominating[i]!.push(j), dominatedBy[j]!++);
      else if (dominates(points[j]!, points[i]!)) (dominating[j]!.push(i), dominatedBy[i]!++);
    }
  const rank = new Array<number>(n).fill(0);
  let front = points.map((_, i) => i).filter((i) => dominatedBy[i] === 0);
  for (let r = 0; front.length; r++) {
    const next: number[] = [];
    for (const i of front) {
      rank[i] = r;
      for (const j of dominating[i]!) if (--dominatedBy[j]! === 0) next.push(j);
    }
    front = next;
  }
  return rank;
}

/** Crowding distance of each point within its own front (boundary points: Infinity). */
export function crowdingDistances(points: readonly (readonly number[])[], ranks: readonly number[]): number[] {
  const distance = new Array<number>(points.length).fill(0);
  const fronts = new Map<number, number[]>();
  ranks.forEach((r, i) => (fronts.get(r) ?? fronts.set(r, []).get(r)!).push(i));
  const m = points[0]?.length ?? 0;
  for (const members of fronts.values()) {
    for (let k = 0; k < m; k++) {
      const sorted = [...members].sort((a, b) => points[a]![k]! - points[b]![k]! || a - b);
      const lo = points[sorted[0]!]![k]!;
      const hi = points[sorted.at(-1)!]![k]!;
      distance[sorted[0]!] = distance[sorted.at(-1)!] = Infinity;
      if (hi === lo) continue;
      for (let s = 1; s < sorted.length - 1; s++) distance[sorted[s]!]! += (points[sorted[s + 1]!]![k]! - points[sorted[s - 1]!]![k]!) / (hi - lo);
    }
  }
  return distance;
}

/**
 * One number per point that orders like NSGA-II (lower front first, then larger crowding distance):
 * −front + c/(1+c) with c the crowding distance (Infinity → just under 1), so fronts never overlap.
 */
export function paretoFitness(points: readonly (readonly number[])[]): number[] {
  const ranks = nonDominatedRanks(points);
  const crowd = crowdingDistances(points, ranks);
  return ranks.map((r, i) => -r + (crowd[i] === Infinity ? 0.999 : 0.999 * (crowd[i]! / (1 + crowd[i]!))));
}

/** Indices of the non-dominated points (duplicates all kept), in input order. */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  return nonDominatedRanks(points).flatMap((r, i) => (r === 0 ? [i] : []));
}
