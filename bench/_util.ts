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

/** The fake OpenAI server of the episode benchmarks, in its own process (so it does not share our CPU time slice). */
export async function startFakeEpisodesServer(latencyMs: number): Promise<{ baseUrl: string; stop: () => Promise<unknown> }> {
  const { resolve } = await import("node:path");
  const server = Bun.spawn([process.execPath, resolve(import.meta.dir, "_fake-episodes.ts"), "--latency", String(latencyMs)], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
  const reader = server.stdout.getReader();
  let first = "";
  while (!first.includes("\n")) first += new TextDecoder().decode((await reader.read()).value);
  const { baseUrl } = JSON.parse(first.split("\n")[0]!) as { baseUrl: string };
  return { baseUrl, stop: () => (server.stdin.end(), server.exited) };
}
