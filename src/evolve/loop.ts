/**
 * The generation loop. Generation 0 evaluates the seed and copies it to every island. Each later
 * generation has a fixed number of slots (default: one per island, slot s works on island s mod n),
 * all proposed from the database as it stood when the generation began; proposals run at once, up to
 * `parallel` evaluations at a time, and results are committed in slot order, followed by a ring
 * migration every `migration_interval` generations. So the same seed gives the same archive at any
 * parallelism, and a resumed run replays the committed generations from the archive and finishes the
 * partial one from its rows.
 */
import { InputError, PpolError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { BudgetExhausted } from "../llm/index.ts";
import { runPool } from "../pool.ts";
import {
  commitEvolveGeneration, createEvolveRun, getEvolveRun, getRun, insertEvolveProgram, listEvolveGenerations, listEvolvePrograms, setEvolveRunStatus, type Store,
} from "../store/index.ts";
import type { ProgramDatabase } from "./database.ts";
import { evolveRegions } from "./diff.ts";
import type { Entry } from "./island.ts";
import { migratesAfter, planMigration } from "./migrate.ts";
import { codeSha, toProgram, toRow } from "./records.ts";
import { evaluateProgram, proposeSlot, type SlotDeps, Stopped } from "./slot.ts";
import { RunState } from "./state.ts";
import { type Evaluator, EvolveOptions, type EvolveOptionsInput, type Mutator, type Problem, type Program, type Scored } from "./types.ts";

export interface EvolveDeps {
  store: Store;
  problem: Problem;
  evaluator: Evaluator;
  mutator: Mutator;
  now?: () => Date;
  /** Ctrl-C: stop proposing, abort evaluations in flight (redone on resume), mark the run interrupted. */
  signal?: AbortSignal;
  onEvent?: (event: EvolveEvent) => void;
  /** ppol version, recorded with the run. */
  version?: string;
}

export type EvolveEvent =
  | { kind: "program"; program: Program }
  | { kind: "generation"; generation: number; iterations: number; evaluations: number; sinceBest: number; best: Entry | undefined };

export type StopReason = "iterations" | "early_stop" | "budget" | "signal" | "error";

export interface EvolveResult {
  runId: string;
  status: "done" | "interrupted" | "failed";
  stopReason: StopReason;
  /** Why the run stopped early (budget message). */
  message?: string;
  /** Generations committed, the seed's (0) included. */
  generations: number;
  /** Best by validation, else best by train. */
  final: Program | undefined;
}

/** Start a run: checks the options and the seed (exit 2 before anything is written), then runs it. */
export async function startEvolution(deps: EvolveDeps, plan: { runId: string; options: EvolveOptionsInput; config?: unknown }): Promise<EvolveResult> {
  const parsed = EvolveOptions.safeParse(plan.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`evolve.${issue.path.join(".")}: ${issue.message}`);
  }
  const options = parsed.data;
  const regions = evolveRegions(deps.problem.seed);
  if (typeof regions === "string") throw new InputError(`seed program: ${regions}`, "mark the part that may evolve with lines # EVOLVE-BLOCK-START and # EVOLVE-BLOCK-END");
  if (!deps.problem.mutationAngles.length) throw new InputError("evolve: no mutation angles", "give the problem at least one mutation angle");
  if (getRun(deps.store, plan.runId)) throw new InputError(`run ${plan.runId} already exists in ${deps.store.path}`, "resume it, or choose another run id");
  const checked = await deps.problem.check(deps.problem.seed);
  if (!checked.ok) throw new InputError(`seed program: ${checked.error}`, "fix the program before evolving it");
  createEvolveRun(deps.store, { id: plan.runId, config: plan.config ?? {}, options, problemSha: problemSha(deps.problem), seed: options.seed, version: deps.version ?? "dev", now: (deps.now ?? (() => new Date()))() });
  return drive(deps, plan.runId, options);
}

/** Continue a run that was interrupted, failed or killed; `parallel` may change (results do not depend on it). */
export async function resumeEvolution(deps: EvolveDeps, runId: string, overrides: { parallel?: number } = {}): Promise<EvolveResult> {
  const run = getEvolveRun(deps.store, runId);
  if (!run) {
    const other = getRun(deps.store, runId);
    if (other) throw new InputError(`run ${runId} is a ${other.kind} run, not an evolve run`, "give the id of an evolve run");
    throw new InputError(`no run ${runId} in ${deps.store.path}`, "check the run id and --db");
  }
  if (run.run.status === "done") throw new InputError(`run ${runId} is already finished`, "start a new run to evolve further");
  if (run.problem_sha !== problemSha(deps.problem))
    throw new InputError(`run ${runId} was started with another seed program, system prompt or mutation angles`, "resume with the same program and settings the run started with");
  const options = EvolveOptions.parse({ ...JSON.parse(run.options_json), ...overrides });
  return drive(deps, runId, options);
}

/** What a resume must bring unchanged: the seed program and everything the prompts are made of. */
const problemSha = (p: Problem) => sha256(JSON.stringify([p.seed, p.systemPrompt, p.mutationAngles, p.language ?? "python"]));

/** Slots of generation g ≥ 1 (the last generation may be short). */
function slotCount(g: number, perGeneration: number, iterations: number): number {
  return Math.max(0, Math.min(perGeneration, iterations - (g - 1) * perGeneration));
}

async function drive(deps: EvolveDeps, runId: string, options: EvolveOptions): Promise<EvolveResult> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const stop = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal;
  const perGeneration = options.slots ?? options.islands;
  const generations = Math.ceil(options.iterations / perGeneration);
  const programs = listEvolvePrograms(store, runId).map(toProgram);
  const committed = listEvolveGenerations(store, runId).at(-1)?.generation ?? -1;
  // Replay what is committed: the database is a function of these rows in this order.
  const state = RunState.replay(options, deps.mutator.targets.length, programs, committed);
  const { db, bandit } = state;
  let lastCommitted = committed;
  setEvolveRunStatus(store, runId, { status: "running", stop_reason: null, final_id: null, now: now() });

  const emit = (program: Program) => deps.onEvent?.({ kind: "program", program });
  const commit = (g: number, migrants: Program[]) => {
    state.commitMigrants(migrants);
    lastCommitted = g;
    commitEvolveGeneration(store, { run_id: runId, generation: g, evaluations: db.evaluations, since_best: db.sinceBest, best_id: db.best?.id ?? null, committed_at: now().toISOString() }, migrants.map((m) => toRow(runId, m, now())));
    deps.onEvent?.({ kind: "generation", generation: g, iterations: state.iterations, evaluations: db.evaluations, sinceBest: db.sinceBest, best: db.best });
  };

  let failure: unknown;
  const fail = (error: unknown) => {
    if (!(error instanceof Stopped)) failure ??= error;
    stop.abort();
  };
  // Set-up the evaluations need (PPol: the discriminator bootstrap); a stop during it is an interruption.
  await deps.evaluator.prepare?.({ runId, signal }).catch((error: unknown) => (signal.aborted ? stop.abort() : fail(error)));
  let g = committed + 1;
  let reason: StopReason | undefined;
  for (; ; g++) {
    if (g > 0 && options.early_stop > 0 && db.sinceBest >= options.early_stop) reason = "early_stop";
    else if (g > generations) reason = "iterations";
    if (reason || signal.aborted) break;
    const existing = new Map(programs.filter((p) => p.generation === g).map((p) => [p.id, p]));
    const d: SlotDeps = { store, runId, options, problem: deps.problem, mutator: deps.mutator, evaluator: deps.evaluator, db, bandit, existing, slotsPerGeneration: perGeneration, now, signal, onProgram: emit };
    if (g === 0) {
      const seed = await evaluateSeed(d, existing.get("g0-seed")).catch((error) => (fail(error), undefined));
      if (!seed) break;
      if (seed.status !== "evaluated") {
        setEvolveRunStatus(store, runId, { status: "failed", stop_reason: "error", final_id: null, now: now() });
        throw new PpolError(`the seed program failed its evaluation (${seed.reason}): ${seed.error}`, "fix the seed program or the evaluator, then start a new run", 1);
      }
      db.add(seed as Scored);
      commit(0, seedCopies(seed, options.islands));
      continue;
    }
    const count = slotCount(g, perGeneration, options.iterations);
    const proposals = Array.from({ length: count }, (_, s) => proposeSlot(d, g, s).then((attempts) => ({ attempts }), (error: unknown) => ({ error })));
    const finals: Program[][] = [];
    await runPool(
      [...proposals.keys()],
      options.parallel,
      async (s) => {
        const r = await proposals[s]!;
        if ("error" in r) return fail(r.error);
        const last = r.attempts.at(-1)!;
        if (last.status !== "rejected") {
          const evaluated = await evaluateProgram(d, last).catch((error) => (fail(error), undefined));
          if (!evaluated) return;
          r.attempts[r.attempts.length - 1] = evaluated;
        }
        finals[s] = r.attempts;
      },
      signal,
    );
    await Promise.all(proposals);
    if (signal.aborted) break;
    finals.forEach((attempts) => state.commitSlot(attempts));
    commit(g, migratesAfter(g, options) ? migrantsOf(db, options, g) : []);
  }

  const final = chooseFinal(db, options.final_by);
  const outcome: Pick<EvolveResult, "status" | "stopReason" | "message"> = reason
    ? { status: "done", stopReason: reason }
    : failure instanceof BudgetExhausted
      ? { status: "interrupted", stopReason: "budget", message: failure.message }
      : failure
        ? { status: "failed", stopReason: "error" }
        : { status: "interrupted", stopReason: "signal" };
  setEvolveRunStatus(store, runId, { status: outcome.status, stop_reason: outcome.stopReason, final_id: final?.id ?? null, now: now() });
  if (outcome.status === "failed") throw failure;
  return { runId, ...outcome, generations: lastCommitted + 1, final };
}

async function evaluateSeed(d: SlotDeps, existing: Program | undefined): Promise<Program> {
  const code = d.problem.seed;
  let seed = existing;
  if (!seed) {
    seed = {
      id: "g0-seed", kind: "seed", generation: 0, slot: 0, attempt: 0, island: 0, parentId: null, sourceId: null, code, codeSha: codeSha(code), diff: "", angle: null,
      mutatorModel: null, mutatorTarget: null, requestHashes: [], tokens: 0, status: "proposed", reason: null, error: null, metrics: null, descriptors: null, objectives: null, artifacts: {}, validation: null,
    };
    insertEvolveProgram(d.store, toRow(d.runId, seed, d.now()));
    d.onProgram(seed);
  }
  return evaluateProgram(d, seed);
}

/** The seed on every other island: copies, like migrants, so each island owns its programs. */
function seedCopies(seed: Program, islands: number): Program[] {
  return Array.from({ length: islands - 1 }, (_, k) => copyTo(seed, k + 1, 0, k));
}

function migrantsOf(db: ProgramDatabase, options: EvolveOptions, g: number): Program[] {
  return planMigration(db, options).map((m, k) => copyTo(m.source, m.to, g, k));
}

function copyTo(source: Program, island: number, generation: number, k: number): Program {
  return {
    id: `g${generation}-m${k}`, kind: "migrant", generation, slot: k, attempt: 0, island, parentId: null, sourceId: source.id, code: source.code, codeSha: source.codeSha,
    diff: "", angle: null, mutatorModel: null, mutatorTarget: null, requestHashes: [], tokens: 0, status: "evaluated", reason: null, error: null,
    metrics: source.metrics, descriptors: source.descriptors, objectives: source.objectives, artifacts: source.artifacts, validation: null,
  };
}

/** Best by validation score among validated programs (older first on ties), else best by train. */
/** The run's answer: the best by validation (ppol-method §5), or by train score as the reference's OpenEvolve picks it. */
function chooseFinal(db: ProgramDatabase, by: EvolveOptions["final_by"]): Program | undefined {
  if (by === "train") return db.best;
  let best: Entry | undefined;
  for (const e of db.all()) {
    if (e.kind === "migrant" || e.validation?.status !== "evaluated") continue;
    if (!best || e.validation.metrics.score > (best.validation as { metrics: { score: number } }).metrics.score) best = e;
  }
  return best ?? db.best;
}
