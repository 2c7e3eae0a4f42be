/**
 * The PPol evaluator (ppol-method §4–5, reference defaults). Train: the sliding batch of 5 train tasks
 * for the program's place in the run (the seed is evaluation 1), N personas per task from the
 * curriculum, one episode per persona capped at 20 steps, score = λ_h·HL + λ_c·Cov with
 * λ_c = 0.5·N/N_final, and a reflection for the mutator. Validation: every held-out task, N_final
 * personas, 30 steps, λ 0.5/0.5. Descriptors [HL, Cov]; objectives [HL, Cov, 1 − goal-fidelity flag rate].
 * Seeds come from the engine's per-program seed, so results never depend on parallelism.
 */
import { curriculumWeights, VALIDATION_WEIGHTS, type Weights } from "../../fitness/index.ts";
import { BudgetExhausted } from "../../llm/index.ts";
import type { EvolvePhase } from "../../store/index.ts";
import type { Task } from "../../tau2/index.ts";
import { deriveSeed, iterationOf } from "../records.ts";
import type { EvalContext, EvaluationInput, Evaluator, Program, ValidationInput } from "../types.ts";
import { beginEvaluation, finishRun, recordReflectionError } from "./archive.ts";
import { runBatch, type TaskBatch } from "./batch.ts";
import { bootstrap, type BootstrapEvent, type BootstrapInput } from "./bootstrap.ts";
import type { PpolPlan } from "./plan.ts";
import { reflect } from "./reflection.ts";
import { type BatchScore, scoreBatch, type Scoring } from "./score.ts";
import { personasPerTask, slidingBatch } from "./split.ts";

/** What the bootstrap needs (the engine's run seed seeds it and the discriminator), plus child slots per generation. */
export interface PpolEvaluatorSetup extends Omit<BootstrapInput, "signal" | "onEvent"> {
  slotsPerGeneration: number;
  onBootstrap?: (e: BootstrapEvent) => void;
}

/** The run holding one evaluation's personas and episodes. */
export const evaluationRunId = (runId: string, programId: string, phase: EvolvePhase) => `${runId}.${programId}.${phase}`;

/**
 * Where a program's train evaluation falls: the 1-based counter that picks its batch and N, and its weights.
 * The reference counts evaluate() calls in the order they happen; ppol counts child slots (the seed is 1),
 * so the batch never depends on which earlier proposals were rejected or on how many ran at once.
 */
export function trainBatchOf(plan: PpolPlan, program: Pick<Program, "kind" | "generation" | "slot">, slotsPerGeneration: number, tasks: ReadonlyMap<string, Task>) {
  const iteration = iterationOf(program, slotsPerGeneration) + 1;
  const train = plan.train_ids.map((id) => tasks.get(id)!);
  const batch = slidingBatch(train, iteration, plan.options.batch_size);
  const n = personasPerTask(plan.options.personas_schedule, { epoch: batch.epoch, iteration, trainSize: train.length, final: plan.options.personas_final });
  return { iteration, batch, n, weights: curriculumWeights(n, plan.options.personas_final) };
}

export function ppolEvaluator(s: PpolEvaluatorSetup): Evaluator {
  const tasks = new Map(s.env.domain.tasks.map((t) => [t.id, t]));
  let scoring: Scoring | undefined;
  const ready = () => {
    if (!scoring) throw new Error("PPol evaluator used before prepare()");
    return scoring;
  };

  /** One batch in its own run: personas, episodes, score; undefined score = nothing scorable. */
  async function run(program: Program, ctx: EvalContext, phase: EvolvePhase, spec: { tasks: Task[]; n: number; maxSteps: number; weights: Weights; iteration: number; epoch: number }) {
    const episodesRunId = evaluationRunId(s.runId, program.id, phase);
    const seed = deriveSeed(ctx.seed, phase);
    const now = s.env.now();
    beginEvaluation(
      s.env.store,
      { runId: s.runId, programId: program.id, phase, episodesRunId, iteration: spec.iteration, epoch: spec.epoch, n: spec.n, taskIds: spec.tasks.map((t) => t.id) },
      { sha256: program.codeSha, name: `${s.runId}/${program.id}`, code: program.code },
      {
        // A simulate run's plan shape, so run lists and pages describe it like any other.
        config: { evolve_run: s.runId, program: program.id, phase, plan: { domain: s.plan.domain, task_ids: spec.tasks.map((t) => t.id), personas: `${phase} evaluation of ${program.id} (${s.runId})`, personas_per_task: spec.n, trials: 1, max_steps: spec.maxSteps, judge: false } },
        seed,
        version: s.version,
        now,
      },
    );
    const result = await runBatch(s.env, { episodesRunId, program: { code: program.code, sha256: program.codeSha }, tasks: spec.tasks, n: spec.n, maxSteps: spec.maxSteps, seed, signal: ctx.signal }).catch((error: unknown) => {
      finishRun(s.env.store, episodesRunId, "interrupted", s.env.now()); // redone from scratch on resume
      throw error;
    });
    finishRun(s.env.store, episodesRunId, "done", s.env.now());
    if (!result.ok) return { error: result.error };
    const score = scoreBatch(ready(), result.episodes, spec.weights);
    if (!score) return { error: `none of the ${result.episodes.length} episodes could be scored: τ² could not parse the agent's or the user's output in any of them` };
    return { score, tasks: result.tasks };
  }

  return {
    async prepare({ signal }) {
      scoring ??= await bootstrap({ runId: s.runId, env: s.env, plan: s.plan, human: s.human, cues: s.cues, seed: s.seed, version: s.version, signal, onEvent: s.onBootstrap });
    },

    async evaluate(program, ctx): Promise<EvaluationInput> {
      const { iteration, batch, n, weights } = trainBatchOf(s.plan, program, s.slotsPerGeneration, tasks);
      const r = await run(program, ctx, "train", { tasks: batch.items, n, maxSteps: s.plan.options.train_max_steps, weights, iteration, epoch: batch.epoch });
      if ("error" in r) return { status: "failed", error: r.error! };
      const artifacts: Record<string, string> = {};
      if (s.plan.options.reflection) {
        const text = await reflection(program, ctx, r.score, r.tasks);
        if (text) artifacts.reflection = text;
      }
      return {
        status: "evaluated",
        metrics: { ...metricsOf(r.score), personas_per_task: n, epoch: batch.epoch },
        descriptors: [r.score.hl, r.score.cov],
        objectives: [r.score.hl, r.score.cov, 1 - r.score.flagRate],
        artifacts,
      };
    },

    async validate(program, ctx): Promise<ValidationInput> {
      const { iteration, batch } = trainBatchOf(s.plan, program, s.slotsPerGeneration, tasks);
      const n = s.plan.options.personas_final;
      const r = await run(program, ctx, "validation", { tasks: s.plan.validation_ids.map((id) => tasks.get(id)!), n, maxSteps: s.plan.options.validation_max_steps, weights: VALIDATION_WEIGHTS, iteration, epoch: batch.epoch });
      if ("error" in r) return { status: "failed", error: r.error! };
      return { status: "evaluated", metrics: { ...metricsOf(r.score), personas_per_task: n } };
    },
  };

  /** The reflection text, or "" when its call failed (recorded; the evaluation stands). A spent budget stops the run. */
  async function reflection(program: Program, ctx: EvalContext, score: BatchScore, batch: TaskBatch[]): Promise<string> {
    const hlOf = new Map(score.episodes.map((e) => [`${e.episode.task_id}\u0000${e.episode.persona_key}`, e.pHuman]));
    const input = {
      metrics: { score: score.score, hl: score.hl, cov: score.cov },
      tasks: batch.map((t) => ({
        context: t.context,
        personas: t.personas.map((p, i) => ({ hl: hlOf.get(`${t.task.id}\u0000p${i}`) ?? null, behaviours: Object.keys(p.axis_placement).filter((k) => p.axis_placement[k]) })),
      })),
      episodes: score.episodes,
    };
    try {
      return await reflect(s.env.llm, input, deriveSeed(ctx.seed, "reflection"));
    } catch (error) {
      if (error instanceof BudgetExhausted || ctx.signal.aborted) throw error;
      recordReflectionError(s.env.store, s.runId, program.id, String((error as Error).message ?? error).split("\n")[0]!);
      return "";
    }
  }
}

function metricsOf(score: BatchScore) {
  return { score: score.score, hl: score.hl, cov: score.cov, fidelity: 1 - score.flagRate, episodes: score.episodes.length };
}
