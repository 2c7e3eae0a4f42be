/** Shared measuring helpers for the benchmarks. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** One result line: measured value, the goal, and the ratio goal/measured (≥ 1 meets the goal). */
export function report(name: string, value: number, unit: string, goal?: { max?: number; min?: number }) {
  let verdict = "";
  if (goal?.max !== undefined) verdict = `goal ≤ ${goal.max} ${unit}  ratio ${(goal.max / value).toFixed(2)}  ${value <= goal.max ? "MET" : "MISSED"}`;
  if (goal?.min !== undefined) verdict = `goal ≥ ${goal.min} ${unit}  ratio ${(value / goal.min).toFixed(2)}  ${value >= goal.min ? "MET" : "MISSED"}`;
  console.log(`${name.padEnd(48)} ${value.toFixed(value < 10 ? 3 : 1).padStart(10)} ${unit.padEnd(6)} ${verdict}`);
}
