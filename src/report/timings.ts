/** How long a run ran, from its status history (run lists, `run show`, the evolve dashboard). */
import type { RunEvent, RunRow } from "../store/index.ts";

/** Seconds in status running (each running event until the next event, or now for a live run). */
export function timings(run: RunRow, history: readonly RunEvent[]): { running_s: number; elapsed_s: number } {
  let running = 0;
  history.forEach((e, i) => {
    if (e.status !== "running") return;
    const end = history[i + 1]?.at ?? (run.status === "running" ? run.updated_at : e.at);
    running += (Date.parse(end) - Date.parse(e.at)) / 1000;
  });
  return { running_s: running, elapsed_s: (Date.parse(run.updated_at) - Date.parse(run.created_at)) / 1000 };
}
