/**
 * Fitness as a stage: discriminator training and scoring from named sources, and fingerprints of a file.
 * The conversations come from a resolver and models and scores go to an archive, both passed in; this
 * folder itself reads no file and opens no database.
 */
import type { ConversationSources, ResolvedSource } from "../conversations/index.ts";
import { normalizeAll } from "../conversations/index.ts";
import { InputError } from "../errors.ts";
import { type Conversation, hashConversations, type Normalization, type Preparation, type ScoreRow, userTurns } from "../model/index.ts";
import type { Space } from "./coverage.ts";
import type { CueSet } from "./cues.ts";
import { DiscriminatorModel, trainDiscriminator } from "./discriminator.ts";
import { FEATURE_VERSION, type Features, fingerprint } from "./fingerprint.ts";
import type { ForestOptions } from "./forest.ts";
import { type ScoreResult, scoreConversations, type Weights } from "./score.ts";

/** Where models and scores are kept: plain JSON text, ids made by the archive (store's fitnessArchive). */
export interface FitnessArchive {
  saveDiscriminator(json: string, meta: { humanSet: string; simulator: string; cvAuc: number; now: Date }): string;
  loadDiscriminator(id: string): string;
  saveScore(row: ScoreRow): number;
}

export interface FitnessDeps {
  sources: ConversationSources;
  archive: FitnessArchive;
}

/** Which human conversations: one side of the set's task split, or all of it. */
export type HumanSplit = "train" | "test" | "all";
const splitOf = (s: HumanSplit) => (s === "all" ? {} : { split: s });

export interface TrainOptions {
  /** Stored human set. */
  human: string;
  humanSplit: HumanSplit;
  /** Stored set, conversation file or run of persona-free simulator episodes. */
  simulator: string;
  /** Format of a simulator file (default: detected). */
  simulatorFormat?: string;
  cues: CueSet;
  /** Normalise both sides (implied when either is MultiDoGO or a normalised set). */
  normalize: boolean;
  forest: Partial<ForestOptions>;
  /** Models behind the simulator episodes (provenance), e.g. {agent, user}. */
  models: Record<string, string>;
  now: Date;
}

export interface TrainReport {
  id: string;
  model: DiscriminatorModel;
  /** CV AUC below 0.7. */
  weak: boolean;
  human: { label: string; n: number };
  simulator: { label: string; n: number };
  normalization: Normalization;
  preparation: Preparation;
}

/**
 * Train and store a discriminator. Runs and files are read the way the human set was prepared; a stored
 * simulator set prepared otherwise is refused. Conversations without user turns are left out.
 */
export function trainFromSources(deps: FitnessDeps, opts: TrainOptions): TrainReport {
  const human = deps.sources.set(opts.human, splitOf(opts.humanSplit));
  const preparation = human.preparation;
  const sim = deps.sources.resolve(opts.simulator, { preparation, source: "simulator", ...(opts.simulatorFormat ? { format: opts.simulatorFormat } : {}) });
  if (sim.preparation !== preparation)
    throw new InputError(`simulator set "${sim.label}" has "${sim.preparation}" turns but human set "${human.label}" has "${preparation}" turns`, "import both sets the same way (both with or both without --strip-control)");
  // MultiDoGO text has no case or punctuation, so comparing it with raw text would only teach the forest that.
  const caseless = [human, sim].some((x) => x.normalization !== "none" || x.set?.format === "multidogo");
  const normalization: Normalization = opts.normalize || caseless ? "lower-punct" : "none";
  const prep = (s: ResolvedSource) => normalizeAll(s.conversations.filter((c) => userTurns(c).length > 0), normalization);
  const [h, s] = [prep(human), prep(sim)];
  const fp = (cs: readonly Conversation[]) => cs.map((c) => fingerprint(userTurns(c), opts.cues));
  const { model, weak } = trainDiscriminator(
    fp(h),
    fp(s),
    {
      cue_version: opts.cues.version,
      preparation,
      normalization,
      domain: human.set?.domain ?? null,
      human: { name: human.label, n: h.length, hash: hashConversations(h) },
      simulator: { name: sim.label, n: s.length, hash: hashConversations(s) },
      models: opts.models,
    },
    opts.forest,
  );
  if (!model.cv.aucs.every(Number.isFinite) || !model.scaler.scale.every(Number.isFinite))
    throw new InputError("discriminator has a non-finite CV AUC or scale", "report this: the training data produced an undefined value");
  const id = deps.archive.saveDiscriminator(JSON.stringify(model), { humanSet: human.label, simulator: sim.label, cvAuc: model.cv.mean, now: opts.now });
  return { id, model, weak, human: { label: human.label, n: h.length }, simulator: { label: sim.label, n: s.length }, normalization, preparation };
}

/** A stored discriminator, parsed (an unknown id is the archive's InputError). */
export function loadDiscriminatorModel(archive: Pick<FitnessArchive, "loadDiscriminator">, id: string): DiscriminatorModel {
  return DiscriminatorModel.parse(JSON.parse(archive.loadDiscriminator(id)));
}

export interface ScoreSourcesOptions {
  /** Stored set, conversation file or run to score. */
  episodes: string;
  /** Format and domain filter of an episodes file. */
  format?: string;
  domain?: string;
  /** Stored human reference set. */
  human: string;
  /** The human cloud for coverage and Dice. */
  humanSplit: HumanSplit;
  discriminator: string;
  /** Coverage space (default: the human set's). */
  space?: Space;
  /** Reduce the human cloud to K centroids (0: off). */
  clusters: number;
  weights: Weights;
  cues: CueSet;
  seed: number;
  now: Date;
}

/**
 * Score a source against a human set under a stored discriminator, and store the score. Runs and files
 * are prepared like the discriminator's training data; z-space takes its mean/std from the set's train split.
 */
export function scoreFromSources(deps: FitnessDeps, opts: ScoreSourcesOptions): ScoreResult {
  const model = loadDiscriminatorModel(deps.archive, opts.discriminator);
  // A model from before ppol recorded its preparation is refused by scoreConversations.
  const preparation = model.provenance.preparation ?? "reference";
  const episodes = deps.sources.resolve(opts.episodes, { preparation, ...(opts.format ? { format: opts.format } : {}), ...(opts.domain ? { domain: opts.domain } : {}) });
  const human = deps.sources.set(opts.human, splitOf(opts.humanSplit));
  const space = opts.space ?? human.set!.space;
  const train = deps.sources.set(opts.human, { split: "train" }).conversations;
  const result = scoreConversations(episodes.conversations, human.conversations, model, {
    cues: opts.cues,
    modelLabel: opts.discriminator,
    sides: { episodes: { label: episodes.label, preparation: episodes.preparation }, human: { label: human.label, preparation: human.preparation } },
    space,
    clusters: opts.clusters,
    seed: opts.seed,
    weights: opts.weights,
    ...(space === "z" && train.length ? { standardizeByConversations: train } : {}),
  });
  for (const [k, v] of Object.entries({ hl: result.hl, cov: result.cov, score: result.score }))
    if (!Number.isFinite(v)) throw new InputError(`score ${k} is not a finite number`, "report this: the inputs produced an undefined value");
  deps.archive.saveScore({
    discriminatorId: opts.discriminator,
    humanSet: opts.human,
    episodes: episodes.label,
    featureVersion: FEATURE_VERSION,
    cueVersion: opts.cues.version,
    preparation,
    hl: result.hl,
    cov: result.cov,
    score: result.score,
    result: JSON.stringify(result),
    now: opts.now,
  });
  return result;
}

/** The fingerprint of each conversation of a file (user turns only; none → all zeros). */
export function fingerprintFile(
  sources: Pick<ConversationSources, "file">,
  file: string,
  opts: { format?: string; domain?: string; preparation: Preparation; cues: CueSet; normalize: boolean },
): { id: string; features: Features }[] {
  const read = sources.file(file, { preparation: opts.preparation, ...(opts.format ? { format: opts.format } : {}), ...(opts.domain ? { domain: opts.domain } : {}) }).conversations;
  return (opts.normalize ? normalizeAll(read, "lower-punct") : read).map((c) => ({ id: c.id, features: fingerprint(userTurns(c), opts.cues) }));
}
