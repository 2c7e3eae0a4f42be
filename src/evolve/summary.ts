/**
 * What an evolve run did, from the archive alone (for `--json`, `ppol run show` and the live view's
 * last line): counts by outcome, best by train and by validation, the final choice, the Pareto front,
 * per-island state and grid occupancy, lineage depth and mutator tokens.
 */
import { InputError } from "../errors.ts";
import { getEvolveRun, listEvolveGenerations, listEvolvePrograms, type Store } from "../store/index.ts";
import { paretoFront } from "./pareto.ts";
import { toProgram } from "./records.ts";
import { RunState } from "./state.ts";
import { EvolveOptions, type Program, type Reason } from "./types.ts";

export interface ProgramBrief {
  id: string;
  generation: number;
  island: number;
  metrics: Record<string, number>;
  descriptors: [number, number];
  objectives: number[];
  validation: Record<string, number> | null;
}

export interface EvolveSummary {
  runId: string;
  status: string;
  stopReason: string | null;
  options: EvolveOptions;
  generations: number;
  /** Child slots finished. */
  iterations: number;
  proposals: number;
  evaluations: number;
  rejected: Partial<Record<Reason, number>>;
  failed: Partial<Record<Reason, number>>;
  bestTrain: ProgramBrief | null;
  bestValidation: ProgramBrief | null;
  final: ProgramBrief | null;
  /** Non-dominated programs over the objectives (seed and children; migrants are copies). */
  paretoFront: ProgramBrief[];
  /** Per island: sizes, the best, and the occupied grid cells (bins over descriptor 0 × descriptor 1) with their owners. */
  islands: { island: number; population: number; archive: number; cells: number; best: ProgramBrief | null; grid: { bins: [number, number]; id: string; score: number }[] }[];
  lineageDepth: number;
  mutatorTokens: number;
  bandit: { target: number; children: number; improved: number; tokens: number }[] | null;
}

export function brief(p: Program): ProgramBrief {
  return {
    id: p.id,
    generation: p.generation,
    island: p.island,
    metrics: p.metrics ?? { score: Number.NaN },
    descriptors: p.descriptors ?? [0, 0],
    objectives: p.objectives ?? [],
    validation: p.validation?.status === "evaluated" ? p.validation.metrics : null,
  };
}

export function summarizeEvolution(store: Store, runId: string, mutatorTargets = 1): EvolveSummary {
  const run = getEvolveRun(store, runId);
  if (!run) throw new InputError(`no evolve run ${runId} in ${store.path}`, "check the run id and --db");
  const options = EvolveOptions.parse(JSON.parse(run.options_json));
  const programs = listEvolvePrograms(store, runId).map(toProgram);
  const committed = listEvolveGenerations(store, runId).at(-1)?.generation ?? -1;
  const state = RunState.replay(options, mutatorTargets, programs, committed);
  const byId = new Map(programs.map((p) => [p.id, p]));
  const originals = programs.filter((p) => p.kind !== "migrant" && p.status === "evaluated");
  const count = (status: Program["status"]) => {
    const out: Partial<Record<Reason, number>> = {};
    for (const p of programs) if (p.status === status && p.reason) out[p.reason] = (out[p.reason] ?? 0) + 1;
    return out;
  };
  const maxBy = (xs: Program[], key: (p: Program) => number | undefined) => xs.reduce<Program | undefined>((best, p) => (key(p) !== undefined && (best === undefined || key(p)! > key(best)!) ? p : best), undefined);
  const validated = maxBy(originals, (p) => (p.validation?.status === "evaluated" ? p.validation.metrics.score : undefined));
  const depth = new Map<string, number>();
  const depthOf = (p: Program): number => {
    const known = depth.get(p.id);
    if (known !== undefined) return known;
    const up = p.parentId ?? p.sourceId;
    const d = up && byId.has(up) ? depthOf(byId.get(up)!) + (p.kind === "migrant" ? 0 : 1) : 0;
    depth.set(p.id, d);
    return d;
  };
  const front = paretoFront(originals.map((p) => (p.objectives?.length ? p.objectives : [p.metrics!.score])));
  const final = run.final_id ? byId.get(run.final_id) : undefined;
  return {
    runId,
    status: run.run.status,
    stopReason: run.stop_reason,
    options,
    generations: committed + 1,
    iterations: state.iterations,
    proposals: programs.filter((p) => p.kind === "child").length,
    evaluations: programs.filter((p) => p.kind !== "migrant" && (p.status === "evaluated" || p.status === "failed")).length,
    rejected: count("rejected"),
    failed: count("failed"),
    bestTrain: state.db.best ? brief(state.db.best) : null,
    bestValidation: validated ? brief(validated) : null,
    final: final ? brief(final) : null,
    paretoFront: front.map((i) => brief(originals[i]!)),
    islands: state.db.islands.map((island) => {
      const best = island.best();
      const bins = island.grid.bins;
      const grid = island.grid.cells().map(([cell, owner]) => ({ bins: [Math.floor(cell / bins), cell % bins] as [number, number], id: owner.id, score: owner.metrics.score }));
      return { island: island.id, population: island.population.size, archive: island.archive.size, cells: island.grid.size, best: best ? brief(best) : null, grid };
    }),
    lineageDepth: Math.max(0, ...originals.map(depthOf)),
    mutatorTokens: programs.reduce((s, p) => s + p.tokens, 0),
    bandit: state.bandit ? state.bandit.stats().map((a, target) => ({ target, ...a })) : null,
  };
}
