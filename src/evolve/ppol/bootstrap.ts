/**
 * The discriminator an evolve run scores with, prepared once before its first evaluation: the given
 * `--discriminator` (checked against the cue set and the human reference's preparation), or the
 * reference's bootstrap — the persona-free base simulator once per train task (30 steps), then a
 * discriminator trained on the human reference's train split against those episodes. Both are stored
 * (a simulate-kind run and the discriminator); a resumed run continues the base run and reuses them.
 */
import { PpolError } from "../../errors.ts";
import { BudgetExhausted } from "../../llm/index.ts";
import { trainDiscriminator } from "../../fitness/index.ts";
import { UNSCORED_TERMINATIONS } from "../../model/index.ts";
import { episodeToConversation } from "../../conversations/index.ts";
import { planEpisodes, simulate } from "../../sim/index.ts";
import { deriveSeed } from "../records.ts";
import { bootstrapOf, contentHash, finishRun, type HumanReference, loadModel, openBaseRun, recordBootstrap, runEpisodes, saveModel } from "./archive.ts";
import type { BatchEnv } from "./batch.ts";
import type { PpolPlan } from "./plan.ts";
import { checkDiscriminator, fingerprintsOf, type Scoring } from "./score.ts";
import type { CueSet } from "../../fitness/index.ts";

/** What the live view hears while the bootstrap runs. */
export type BootstrapEvent =
  | { kind: "base_episode"; done: number; total: number }
  | { kind: "discriminator"; id: string; trained: boolean; cvAuc: number; weak: boolean };

export interface BootstrapInput {
  runId: string;
  env: BatchEnv;
  plan: PpolPlan;
  human: HumanReference;
  cues: CueSet;
  seed: number;
  version: string;
  signal: AbortSignal;
  onEvent?: (e: BootstrapEvent) => void;
}

export const baseRunIdOf = (runId: string) => `${runId}.base`;

export async function bootstrap(b: BootstrapInput): Promise<Scoring> {
  const { store } = b.env;
  const recorded = bootstrapOf(store, b.runId);
  let id = recorded?.discriminator_id ?? b.plan.discriminator;
  let model = id ? loadModel(store, id) : undefined;
  if (id && model && !recorded) {
    checkDiscriminator(model, id, b.cues, b.human);
    recordBootstrap(store, b.runId, null, id, b.env.now());
  }
  if (!id || !model) ({ id, model } = await trainFromBase(b));
  else b.onEvent?.({ kind: "discriminator", id, trained: recorded?.base_run_id != null, cvAuc: model.cv.mean, weak: model.cv.mean < 0.7 });
  const normalization = model.provenance.normalization;
  return { model, humans: fingerprintsOf(b.human.conversations, b.cues, normalization), cues: b.cues, preparation: b.human.preparation, normalization };
}

async function trainFromBase(b: BootstrapInput) {
  const { env, plan } = b;
  const baseRunId = baseRunIdOf(b.runId);
  const runPlan = {
    domain: plan.domain,
    task_ids: plan.train_ids,
    personas: null,
    trials: 1,
    max_steps: plan.options.bootstrap_max_steps,
    judge: false,
    tool_schemas: null,
    tool_schemas_sha256: plan.tool_schemas.sha256,
    user_guidelines: plan.user_guidelines,
    data_hash: plan.data_hash,
  };
  const seed = deriveSeed(b.seed, "bootstrap");
  const done = openBaseRun(env.store, baseRunId, { config: { plan: runPlan, evolve_run: b.runId }, seed, version: b.version, now: env.now(), parent: b.runId });
  const episodePlan = planEpisodes({ runId: baseRunId, taskIds: plan.train_ids, personas: new Map(), trials: 1, seed });
  let finished = done.size;
  b.onEvent?.({ kind: "base_episode", done: finished, total: episodePlan.length });
  const result = await simulate({
    store: env.store,
    llm: env.llm,
    runId: baseRunId,
    domain: env.domain,
    tools: env.tools,
    userGuidelines: env.userGuidelines,
    agentTemperature: env.agentTemperature,
    plan: episodePlan,
    done,
    maxSteps: plan.options.bootstrap_max_steps,
    concurrency: env.episodeConcurrency,
    models: env.models,
    signal: b.signal,
    now: env.now,
    onEpisode: () => b.onEvent?.({ kind: "base_episode", done: ++finished, total: episodePlan.length }),
  });
  const stopped = b.signal.aborted || result.budget || result.abandoned;
  if (stopped) finishRun(env.store, baseRunId, result.abandoned ? "failed" : "interrupted", env.now());
  if (b.signal.aborted) throw new Error("bootstrap stopped");
  if (result.budget) throw new BudgetExhausted(result.budget);
  if (result.abandoned) throw new PpolError(`base simulator run ${baseRunId}: ${result.abandoned}`, "check the server with `ppol doctor`, then resume the run");
  const episodes = runEpisodes(env.store, baseRunId);
  const broken = episodes.filter((e) => e.termination === "infrastructure_error");
  if (broken.length) {
    finishRun(env.store, baseRunId, "interrupted", env.now());
    throw new PpolError(`base simulator run ${baseRunId}: ${broken.length} of ${episodes.length} episodes failed on the LLM server: ${broken[0]!.error ?? "unknown error"}`, "check the server with `ppol doctor`, then resume the run");
  }
  finishRun(env.store, baseRunId, "done", env.now());

  // The simulator side is prepared and normalised exactly as the human side.
  const simulated = episodes.filter((e) => !UNSCORED_TERMINATIONS.has(e.termination)).map((e) => episodeToConversation(e, b.human.preparation));
  const { model, weak } = trainDiscriminator(
    fingerprintsOf(b.human.conversations, b.cues, b.human.normalization),
    fingerprintsOf(simulated, b.cues, b.human.normalization),
    {
      cue_version: b.cues.version,
      preparation: b.human.preparation,
      normalization: b.human.normalization,
      domain: plan.domain,
      human: { name: b.human.name, n: b.human.conversations.length, hash: contentHash(b.human.conversations, b.human.normalization) },
      simulator: { name: `run:${baseRunId}`, n: simulated.length, hash: contentHash(simulated, b.human.normalization) },
      models: { ...env.models },
    },
    { seed: b.seed },
  );
  const id = saveModel(env.store, model, env.now());
  recordBootstrap(env.store, b.runId, baseRunId, id, env.now());
  b.onEvent?.({ kind: "discriminator", id, trained: true, cvAuc: model.cv.mean, weak });
  return { id, model };
}
