/**
 * Every archive read and write of PPol evolution beyond the engine's own tables, in one place: the human
 * reference, discriminators, the bootstrap's base run, and each evaluation's run with its program,
 * personas and episodes. (The store's fitness and personas queries may change shape: adapt them here.)
 */
import { normalizeAll, prepareAll } from "../../conversations/index.ts";
import { InputError } from "../../errors.ts";
import { type DiscriminatorModel, loadDiscriminatorModel } from "../../fitness/index.ts";
import { type Conversation, hashConversations, type Normalization, type Preparation } from "../../model/index.ts";
import type { TaskPersonas } from "../../personas/index.ts";
import {
  beginEvolveEvaluation, createRun, type EpisodeRecord, type EvolvePhase, finishedEpisodeIds, getConversationSet, fitnessArchive, getEvolveBootstrap, getRun, listConversationSets, listEpisodes,
  loadConversations, saveEvolveBootstrap, savePersonaProgram, savePersonaTask, setEvolveReflectionError, setRunStatus, type RunStatus, type Store,
} from "../../store/index.ts";

export interface HumanReference {
  name: string;
  /** The train split, prepared as the set was imported. */
  conversations: Conversation[];
  preparation: Preparation;
  /** Text normalisation a discriminator trained on this set applies (MultiDoGO or --normalize imports: lower-punct). */
  normalization: Normalization;
}

/** The human reference set's train split (the coverage cloud and the discriminator's positive class). */
export function loadHumanReference(store: Store, name: string): HumanReference {
  const set = getConversationSet(store, name);
  if (!set || set.kind !== "human") {
    const known = listConversationSets(store).filter((s) => s.kind === "human").map((s) => s.name);
    throw new InputError(`--human ${name}: no human reference set of that name in ${store.path}`, known.length ? `stored human sets: ${known.join(", ")}` : "import one with `ppol human import FILE --format F --name NAME`");
  }
  const conversations = prepareAll(loadConversations(store, name, "train").map((s) => s.conversation), set.preparation);
  if (conversations.length < 2) throw new InputError(`--human ${name}: its train split has ${conversations.length} conversations`, "import a set with at least 2 train conversations");
  const normalization: Normalization = set.normalization !== "none" || set.format === "multidogo" ? "lower-punct" : "none";
  return { name, conversations, preparation: set.preparation, normalization };
}

/** The data-set hash a discriminator's provenance records (over the normalised conversations, as `discriminator train` does). */
export const contentHash = (conversations: readonly Conversation[], normalization: Normalization) => hashConversations(normalizeAll([...conversations], normalization));

export const loadModel = (store: Store, id: string): DiscriminatorModel => loadDiscriminatorModel(fitnessArchive(store), id);
export const saveModel = (store: Store, model: DiscriminatorModel, now: Date): string =>
  fitnessArchive(store).saveDiscriminator(JSON.stringify(model), { humanSet: model.provenance.human.name, simulator: model.provenance.simulator.name, cvAuc: model.cv.mean, now });

export function bootstrapOf(store: Store, runId: string) {
  return getEvolveBootstrap(store, runId);
}

export function recordBootstrap(store: Store, runId: string, baseRunId: string | null, discriminatorId: string, now: Date) {
  saveEvolveBootstrap(store, { run_id: runId, base_run_id: baseRunId, discriminator_id: discriminatorId }, now);
}

/** The base simulator run of a bootstrap: created once, then its finished episodes are kept on resume. */
export function openBaseRun(store: Store, id: string, run: { config: unknown; seed: number; version: string; now: Date; parent: string }): ReadonlySet<string> {
  if (!getRun(store, id)) createRun(store, { id, kind: "simulate", config: run.config, seed: run.seed, version: run.version, now: run.now, parent: run.parent });
  else setRunStatus(store, id, "running", run.now);
  return finishedEpisodeIds(store, id);
}

export const runEpisodes = (store: Store, runId: string): EpisodeRecord[] => listEpisodes(store, runId);
export const finishRun = (store: Store, runId: string, status: RunStatus, now: Date) => setRunStatus(store, runId, status, now);

export interface EvaluationRecord {
  runId: string;
  programId: string;
  phase: EvolvePhase;
  episodesRunId: string;
  iteration: number;
  epoch: number;
  n: number;
  taskIds: string[];
}

export const saveProgram = (store: Store, sha256: string, name: string, code: string, now: Date) => savePersonaProgram(store, { sha256, name, code, now });

/** A fresh run for one evaluation (an interrupted attempt's rows are replaced) and its program's code. */
export function beginEvaluation(store: Store, e: EvaluationRecord, program: { sha256: string; name: string; code: string }, run: { config: unknown; seed: number; version: string; now: Date }) {
  savePersonaProgram(store, { sha256: program.sha256, name: program.name, code: program.code, now: run.now });
  beginEvolveEvaluation(
    store,
    { run_id: e.runId, program_id: e.programId, phase: e.phase, episodes_run_id: e.episodesRunId, iteration: e.iteration, epoch: e.epoch, personas_per_task: e.n, task_ids_json: JSON.stringify(e.taskIds) },
    run,
  );
}

export function saveTaskPersonas(store: Store, runId: string, programSha: string, domain: string, n: number, r: TaskPersonas, now: Date) {
  savePersonaTask(store, { runId, taskId: r.task_id, programSha, domain, n, ok: r.ok, errorKind: r.error_kind, error: r.error, failures: r.failures, stdout: r.stdout, stderr: r.stderr, ms: r.ms, personas: r.personas }, now);
}

export const recordReflectionError = (store: Store, runId: string, programId: string, error: string) => setEvolveReflectionError(store, runId, programId, error);
