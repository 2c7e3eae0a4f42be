/**
 * The engine's vocabulary: options (snake_case, the names a config section or CLI flag uses), what an
 * evaluator returns (parsed at the edge: evaluators are plug-ins), and the three plug-in interfaces
 * (Problem, Evaluator, Mutator).
 */
import { z } from "zod";

/** Reference defaults (PPol on OpenEvolve) unless noted. */
export const EvolveOptions = z
  .strictObject({
    /** Child slots in the whole run (one proposal-to-evaluation pipeline each). */
    iterations: z.int().positive().default(70),
    islands: z.int().min(1).max(64).default(5),
    /** Slots per generation; default one per island. Results never depend on `parallel`, only on this. */
    slots: z.int().positive().optional(),
    /** Programs eligible as parents, over all islands. */
    population: z.int().positive().default(50),
    /** Programs kept for inspirations, novelty and the grid, over all islands (⊇ population). */
    archive: z.int().positive().default(100),
    /** Generations between ring migrations (0 = never) and the share of an island's population sent. */
    migration_interval: z.int().nonnegative().default(5),
    migration_rate: z.number().min(0).max(1).default(0.2),
    elite_ratio: z.number().gt(0).max(1).default(0.2),
    /** Parent from a random grid cell / from the elites; the rest by the scale-free rule over the island. */
    exploration: z.number().min(0).max(1).default(0.2),
    exploitation: z.number().min(0).max(1).default(0.7),
    /** ppol: the mix above; uniform: any parent of the island's population (the baseline of bench/evolve). */
    selection: z.enum(["ppol", "uniform"]).default("ppol"),
    /** Slope of the sigmoid over (fitness − island median) / spread (ours; ShinkaEvolve's idea). */
    selection_pressure: z.number().positive().default(4),
    grid_bins: z.int().min(1).max(100).default(5),
    /** scalar: metrics.score; pareto: non-dominated rank, then crowding distance, over the objectives. */
    objective: z.enum(["scalar", "pareto"]).default("scalar"),
    top_programs: z.int().nonnegative().default(2),
    inspirations: z.int().nonnegative().default(2),
    /** Normalised token similarity at or above which a child is rejected as a near-duplicate. */
    novelty_threshold: z.number().min(0).max(1).default(0.98),
    /** Proposals drawn for one slot before it gives up (rejected ones are fed back). */
    max_proposals: z.int().positive().default(4),
    /** When a diff still fails after its one retry, ask once for the whole EVOLVE block(s) instead. */
    full_rewrite_fallback: z.boolean().default(false),
    /** Cap on each feedback text put into a prompt: artifacts, a failed diff, check or evaluation. */
    feedback_chars: z.int().positive().default(3000),
    /** Stop after this many evaluations without a new best train score (0 = never). */
    early_stop: z.int().nonnegative().default(20),
    /** Validate the first evaluation and every program whose train score exceeds this. */
    validation_threshold: z.number().default(0.7),
    /** The final program: best by validation (the method), or by train score (the reference's OpenEvolve best). */
    final_by: z.enum(["validation", "train"]).default("validation"),
    /** Children evaluated at once. */
    parallel: z.int().positive().default(1),
    seed: z.int().nonnegative().default(42),
    /** An evaluation still running after this is aborted (its signal) and recorded as failed (0 = none). */
    evaluation_timeout_ms: z.int().nonnegative().default(1_800_000),
    mutator_temperature: z.number().min(0).max(2).default(1),
    mutator_max_tokens: z.int().positive().default(8192),
    /** Learn which mutator target's children improve on their parents, per token (needs ≥ 2 targets). */
    mutator_bandit: z.boolean().default(false),
  })
  .refine((o) => o.exploration + o.exploitation <= 1, { message: "exploration + exploitation must be at most 1", path: ["exploitation"] })
  .refine((o) => o.archive >= o.population, { message: "archive must be at least population", path: ["archive"] });
export type EvolveOptions = z.output<typeof EvolveOptions>;
export type EvolveOptionsInput = z.input<typeof EvolveOptions>;

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const Artifacts = z.record(z.string(), z.string());
/** Metrics of one evaluation: `score` (higher is better) and any other numbers. */
export const Metrics = z.object({ score: finite }).catchall(finite);
export type Metrics = z.infer<typeof Metrics>;

/** What Evaluator.evaluate returns. Descriptors are the grid axes (clamped into [0, 1]); objectives are maximised. */
export const Evaluation = z.discriminatedUnion("status", [
  z.object({ status: z.literal("evaluated"), metrics: Metrics, descriptors: z.tuple([finite, finite]), objectives: z.array(finite).default([]), artifacts: Artifacts.default({}) }),
  z.object({ status: z.literal("failed"), error: z.string(), artifacts: Artifacts.default({}) }),
]);
export type Evaluation = z.output<typeof Evaluation>;
/** What an evaluator may return (defaults not yet applied). */
export type EvaluationInput = z.input<typeof Evaluation>;

/** What Evaluator.validate returns (stored on the program; the final choice is by its score). */
export const Validation = z.discriminatedUnion("status", [
  z.object({ status: z.literal("evaluated"), metrics: Metrics, artifacts: Artifacts.default({}) }),
  z.object({ status: z.literal("failed"), error: z.string(), artifacts: Artifacts.default({}) }),
]);
export type Validation = z.output<typeof Validation>;
export type ValidationInput = z.input<typeof Validation>;

export type ProgramKind = "seed" | "child" | "migrant";
export type ProgramStatus = "proposed" | "rejected" | "evaluated" | "failed";
/** rejected: diff_failed | check_failed | duplicate | similar; failed: error | timeout. */
export type Reason = "diff_failed" | "check_failed" | "duplicate" | "similar" | "error" | "timeout";

/** A program as the engine sees it (one archive row, parsed). */
export interface Program {
  id: string;
  kind: ProgramKind;
  generation: number;
  slot: number;
  attempt: number;
  island: number;
  parentId: string | null;
  /** The program a migrant copies. */
  sourceId: string | null;
  code: string;
  codeSha: string;
  diff: string;
  angle: string | null;
  mutatorModel: string | null;
  mutatorTarget: number | null;
  requestHashes: string[];
  tokens: number;
  status: ProgramStatus;
  reason: Reason | null;
  error: string | null;
  metrics: Metrics | null;
  descriptors: [number, number] | null;
  objectives: number[] | null;
  artifacts: Record<string, string>;
  validation: Validation | null;
}

/** An evaluated program: what the database holds. */
export type Scored = Program & { status: "evaluated"; metrics: Metrics; descriptors: [number, number]; objectives: number[] };

/** The problem being evolved: supplied by the caller (PPol: the persona generator). */
export interface Problem {
  /** The seed program; it must have at least one EVOLVE-BLOCK-START / EVOLVE-BLOCK-END pair. */
  seed: string;
  /** What the mutator is, and what the program must keep doing. */
  systemPrompt: string;
  /** One is drawn at random per proposal. */
  mutationAngles: readonly string[];
  /** Code fence language in prompts (default "python"). */
  language?: string;
  /** Static checks (syntax, contract), no LLM: a failing child is rejected before evaluation. */
  check(code: string): Promise<{ ok: true } | { ok: false; error: string }>;
}

export interface EvalContext {
  runId: string;
  programId: string;
  generation: number;
  island: number;
  /** Derived from (run seed, program): use it for the evaluation's own randomness and LLM seeds. */
  seed: number;
  /** Aborted on timeout or when the run stops: stop work (kill sandboxes) and return or throw promptly. */
  signal: AbortSignal;
}

/**
 * Scores programs. Throwing is for infrastructure trouble (LLM budget, server down): the run stops and
 * `resume` redoes the evaluation. A program that is at fault returns {status: "failed", error}.
 */
export interface Evaluator {
  /**
   * One-time set-up before this process evaluates anything (e.g. train a model the evaluations need),
   * outside the evaluation timeout. It must be resumable: a resumed run calls it again. Throwing stops
   * the run as an evaluation's infrastructure error does; it should stop promptly when `signal` aborts.
   */
  prepare?(ctx: { runId: string; signal: AbortSignal }): Promise<void>;
  evaluate(program: Program, ctx: EvalContext): Promise<EvaluationInput>;
  validate?(program: Program, ctx: EvalContext): Promise<ValidationInput>;
}

export interface MutationRequest {
  problem: Problem;
  parent: Scored;
  top: readonly Scored[];
  inspirations: readonly Scored[];
  angle: string;
  /** Why the previous proposal for this slot, or the parent's last child, failed (capped). */
  previousError?: string;
  /** Index of the mutator target to use (bandit), when there is a choice. */
  target?: number;
  /** Unique per proposal in the run: LLM mutators derive their request `sample` numbers from it. */
  stream: number;
  seed: number;
  options: EvolveOptions;
}

export interface Proposal {
  /** The child, or undefined when no usable edit came back (`error` says why). */
  code?: string;
  diff: string;
  error?: string;
  model: string | null;
  requestHashes: string[];
  tokens: number;
}

/** Proposes a child from a parent: the LLM mutator (mutator.ts), or e.g. a random editor in benchmarks. */
export interface Mutator {
  /** The targets a bandit may choose among (one entry: no choice). */
  readonly targets: readonly string[];
  propose(request: MutationRequest): Promise<Proposal>;
}
