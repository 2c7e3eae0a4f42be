/**
 * Scoring a batch's episodes (ppol-method §4): fingerprint each episode's user turns (prepared and
 * normalised as the discriminator's training data was), HL = mean P(human), Cov = mean over tasks of the
 * two-sided Chamfer coverage of the human cloud in raw feature space (τ²), score = λ_h·HL + λ_c·Cov.
 * Also the share of episodes with a goal-fidelity flag (the third Pareto objective is 1 − that).
 */
import { episodeToConversation, normalizeAll } from "../../conversations/index.ts";
import type { Normalization, Preparation } from "../../model/index.ts";
import { InputError } from "../../errors.ts";
import { type CueSet, type DiscriminatorModel, type Features, fingerprint, scoreFeatures, type Weights } from "../../fitness/index.ts";
import { type Conversation, UNSCORED_TERMINATIONS, userTurns } from "../../model/index.ts";
import type { EpisodeRecord } from "../../store/index.ts";

export interface Scoring {
  model: DiscriminatorModel;
  /** Fingerprints of the human reference's train split. */
  humans: Features[];
  cues: CueSet;
  preparation: Preparation;
  normalization: Normalization;
}

export interface ScoredEpisode {
  episode: EpisodeRecord;
  features: Features;
  pHuman: number;
}

export interface BatchScore {
  hl: number;
  cov: number;
  score: number;
  /** Share of scored episodes with at least one goal-fidelity flag. */
  flagRate: number;
  episodes: ScoredEpisode[];
}

/** Fingerprints of conversations, made as the discriminator's data was (its normalisation, this cue set). */
export function fingerprintsOf(conversations: readonly Conversation[], cues: CueSet, normalization: Normalization): Features[] {
  return normalizeAll([...conversations], normalization).map((c) => fingerprint(userTurns(c), cues));
}

/**
 * A discriminator scores only fingerprints made like its training data: the same cue set version and
 * turns prepared like the human reference's.
 */
export function checkDiscriminator(model: DiscriminatorModel, id: string, cues: CueSet, human: { name: string; preparation: Preparation }) {
  const p = model.provenance;
  if (p.cue_version !== cues.version)
    throw new InputError(`--discriminator ${id} was trained on cue set "${p.cue_version}", but this run fingerprints with "${cues.version}"`, "pass the --cues it was trained with, or leave out --discriminator to train one");
  if (p.preparation !== human.preparation)
    throw new InputError(
      `--discriminator ${id} was trained on "${p.preparation ?? "unrecorded"}" turns, but human set ${human.name} has "${human.preparation}" turns`,
      "train a discriminator on sets prepared alike, or leave out --discriminator to train one",
    );
}

/** Score a batch; undefined when no episode can be scored (all failed to parse). */
export function scoreBatch(s: Scoring, episodes: readonly EpisodeRecord[], weights: Weights): BatchScore | undefined {
  // Episodes τ² could not parse are left out, as τ² and the reference leave them out.
  const scorable = episodes.filter((e) => !UNSCORED_TERMINATIONS.has(e.termination));
  if (!scorable.length) return undefined;
  const features = fingerprintsOf(
    scorable.map((e) => episodeToConversation(e, s.preparation)),
    s.cues,
    s.normalization,
  );
  const result = scoreFeatures(
    scorable.map((e, i) => ({ id: e.id, task_id: e.task_id, features: features[i]! })),
    s.humans,
    s.model,
    { space: "raw", weights },
  );
  return {
    hl: result.hl,
    cov: result.cov,
    score: result.score,
    flagRate: scorable.filter((e) => e.fidelity.length > 0).length / scorable.length,
    episodes: scorable.map((episode, i) => ({ episode, features: features[i]!, pHuman: result.episodes[i]!.p_human })),
  };
}
