/**
 * Evolve runs read back from the archive: the block `ppol run show` adds for them (the engine's
 * summary, how the discriminator came about, where the evaluations' episodes are) and the web UI's
 * evolve dashboard (per-island curves, MAP-Elites grids, children and why they were rejected, usage).
 */
import { type EvolveSummary, iterationOf, type Program, summarizeEvolution, toProgram } from "../evolve/index.ts";
import { costOf, type Price } from "../llm/index.ts";
import { getEvolveBootstrap, getEvolveRun, listEvolveEvaluations, listEvolvePrograms, listRunEvents, type RunRow, runLlmUsage, type Store } from "../store/index.ts";
import { timings } from "./timings.ts";

export interface EvolveBlock {
  summary: EvolveSummary;
  /** The base simulator run and the discriminator the run scored with (null before its bootstrap). */
  bootstrap: { base_run_id: string | null; discriminator_id: string } | null;
  /** Simulate-kind runs holding each evaluation's personas and episodes. */
  evaluations: { program: string; phase: string; run: string; personas_per_task: number; tasks: number }[];
  /** The chosen program's code sha256 (`ppol export program SHA --out FILE.py`). */
  final_sha256: string | null;
}

export function evolveBlock(store: Store, runId: string): EvolveBlock | undefined {
  if (!getEvolveRun(store, runId)) return undefined;
  const summary = summarizeEvolution(store, runId);
  const bootstrap = getEvolveBootstrap(store, runId);
  const final = summary.final ? listEvolvePrograms(store, runId).find((p) => p.id === summary.final!.id) : undefined;
  return {
    summary,
    bootstrap: bootstrap ? { base_run_id: bootstrap.base_run_id, discriminator_id: bootstrap.discriminator_id } : null,
    evaluations: listEvolveEvaluations(store, runId).map((e) => ({ program: e.program_id, phase: e.phase, run: e.episodes_run_id, personas_per_task: e.personas_per_task, tasks: (JSON.parse(e.task_ids_json) as unknown[]).length })),
    final_sha256: final?.code_sha ?? null,
  };
}

/** The shape of the server's EvolveDashboardData (src/server), built here over the evolve tables. */
export interface EvolveDashboard {
  run: RunRow;
  iterations: { island: number; iteration: number; train: number | null; validation: number | null; hl: number | null; cov: number | null }[];
  grids: { island: number; bins: number; cells: { hlBin: number; covBin: number; score: number; program: string }[] }[];
  children: { iteration: number; island: number; program: string; parent: string | null; accepted: boolean; reason: string }[];
  usage: { promptTokens: number; completionTokens: number; cost: number | null; callsPerSecond: number | null };
}

export function evolveDashboard(store: Store, runId: string, prices: Readonly<Record<string, Price>>): EvolveDashboard | undefined {
  const evolve = getEvolveRun(store, runId);
  if (!evolve) return undefined;
  const summary = summarizeEvolution(store, runId);
  const perGeneration = summary.options.slots ?? summary.options.islands;
  const programs = listEvolvePrograms(store, runId).map(toProgram);
  const shaOf = new Map(programs.map((p) => [p.id, p.codeSha]));
  const evaluated = programs.filter((p): p is Program & { metrics: NonNullable<Program["metrics"]> } => p.kind !== "migrant" && p.status === "evaluated" && p.metrics !== null);
  const usage = runLlmUsage(store, runId);
  const calls = usage.reduce((s, u) => s + u.calls, 0);
  const running = timings(evolve.run, listRunEvents(store, runId)).running_s;
  return {
    run: evolve.run,
    iterations: evaluated.map((p) => ({
      island: p.island,
      iteration: iterationOf(p, perGeneration),
      train: p.metrics.score,
      validation: p.validation?.status === "evaluated" ? p.validation.metrics.score : null,
      hl: p.metrics.hl ?? null,
      cov: p.metrics.cov ?? null,
    })),
    grids: summary.islands.map((i) => ({
      island: i.island,
      bins: summary.options.grid_bins,
      cells: i.grid.map((c) => ({ hlBin: c.bins[0], covBin: c.bins[1], score: c.score, program: shaOf.get(c.id)! })),
    })),
    children: programs
      .filter((p) => p.kind === "child" && p.status !== "proposed")
      .map((p) => ({
        iteration: iterationOf(p, perGeneration),
        island: p.island,
        program: p.codeSha,
        parent: p.parentId ? (shaOf.get(p.parentId) ?? null) : null,
        accepted: p.status === "evaluated",
        reason: p.status === "evaluated" ? `score ${p.metrics!.score.toFixed(3)}` : `${p.status === "failed" ? "failed" : "rejected"}: ${p.reason ?? "?"}${p.error ? ` — ${p.error.split("\n")[0]!.slice(0, 160)}` : ""}`,
      })),
    usage: {
      promptTokens: usage.reduce((s, u) => s + u.prompt_tokens, 0),
      completionTokens: usage.reduce((s, u) => s + u.completion_tokens, 0),
      cost: Object.keys(prices).length ? usage.reduce((s, u) => s + costOf(prices, u.model, u.prompt_tokens, u.completion_tokens), 0) : null,
      callsPerSecond: running > 0 ? calls / running : null,
    },
  };
}
