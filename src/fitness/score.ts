/**
 * Scoring a batch of episodes (ppol-method §4.2–4.4): HL = mean P(human); Cov = mean over tasks of the
 * task's coverage of the human cloud; Score = λ_h·HL + λ_c·Cov (0.5/0.5 for validation and benchmarks,
 * or the curriculum weights). Dice D1–D4 and their mean "usi" are diagnostics only.
 */
import { z } from "zod";
import { normalizeAll } from "../conversations/index.ts";
import { type Conversation, type Preparation, userTurns } from "../model/index.ts";
import { InputError } from "../errors.ts";
import { prepareCloud, type Space, taskCoverage } from "./coverage.ts";
import { type CueSet, cueSetByVersion } from "./cues.ts";
import { type DiscriminatorModel, pHuman } from "./discriminator.ts";
import { DIMENSIONS, FEATURE_NAMES, type Features, fingerprint, toVector } from "./fingerprint.ts";

export interface Weights {
  h: number;
  c: number;
}
export const VALIDATION_WEIGHTS: Weights = { h: 0.5, c: 0.5 };

/**
 * Training curriculum (N = 5 → 8 → 10 personas per task): λ_c = 0.5·N_now/N_final, λ_h = 1 − λ_c, i.e.
 * 0.75/0.25 → 0.60/0.40 → 0.50/0.50. HL always keeps at least half the weight; N_now is capped at N_final.
 */
export function curriculumWeights(nNow: number, nFinal: number): Weights {
  const c = 0.5 * Math.min(1, Math.max(0, nNow) / Math.max(1, nFinal));
  return { h: 1 - c, c };
}

const FeaturesSchema = z.record(z.string(), z.number());
export const ScoreResult = z.object({
  episodes: z.array(z.object({ id: z.string(), task_id: z.string().nullable(), p_human: z.number(), features: FeaturesSchema })),
  tasks: z.array(z.object({ task_id: z.string().nullable(), coverage: z.number() })),
  hl: z.number(),
  cov: z.number(),
  score: z.number(),
  dice: z.object({ D1: z.number(), D2: z.number(), D3: z.number(), D4: z.number(), usi: z.number() }),
});
export type ScoreResult = z.infer<typeof ScoreResult>;

/** Sørensen–Dice of two scalars on |values|; 1 when both are (near) 0. */
export function dice(m: number, h: number): number {
  const [a, b] = [Math.abs(m), Math.abs(h)];
  return a + b < 1e-12 ? 1 : (2 * Math.min(a, b)) / (a + b);
}

export function meanFeatures(fs: readonly Features[]): Features {
  return Object.fromEntries(FEATURE_NAMES.map((n) => [n, fs.length ? fs.reduce((s, f) => s + f[n], 0) / fs.length : 0])) as Features;
}

/** Aggregate-first Dice: average each feature over the episodes, compare with the human mean per feature. */
export function diceByDimension(episodes: readonly Features[], humans: readonly Features[]): ScoreResult["dice"] {
  if (episodes.length === 0) return { D1: 0, D2: 0, D3: 0, D4: 0, usi: 0 };
  const [m, h] = [meanFeatures(episodes), meanFeatures(humans)];
  const dim = (names: readonly (keyof Features)[]) => names.reduce((s, n) => s + dice(m[n], h[n]), 0) / names.length;
  const D1 = dim(DIMENSIONS.D1);
  const D2 = dim(DIMENSIONS.D2);
  const D3 = dim(DIMENSIONS.D3);
  const D4 = dim(DIMENSIONS.D4);
  return { D1, D2, D3, D4, usi: (D1 + D2 + D3 + D4) / 4 };
}

export interface EpisodeFeatures {
  id: string;
  task_id?: string;
  features: Features;
}

export interface ScoreOptions {
  space: Space;
  clusters?: number;
  seed?: number;
  weights?: Weights;
  /** Fingerprints whose mean/std z-score the space (default: the human cloud itself). */
  standardizeBy?: readonly Features[];
}

/** Pure core: fingerprints in, scores out. */
export function scoreFeatures(episodes: readonly EpisodeFeatures[], humans: readonly Features[], model: DiscriminatorModel, opts: ScoreOptions): ScoreResult {
  if (episodes.length === 0) throw new InputError("nothing to score: no episodes", "pass a file or run with at least one conversation");
  if (humans.length === 0) throw new InputError("the human reference is empty", "import a human set with `ppol human import`");
  const weights = opts.weights ?? VALIDATION_WEIGHTS;
  const cloud = prepareCloud(humans.map(toVector), {
    space: opts.space,
    ...(opts.clusters ? { clusters: opts.clusters } : {}),
    seed: opts.seed ?? 0,
    ...(opts.standardizeBy ? { standardizeBy: opts.standardizeBy.map(toVector) } : {}),
  });
  const scored = episodes.map((e) => ({ id: e.id, task_id: e.task_id ?? null, p_human: pHuman(model, e.features), features: e.features }));
  const byTask = new Map<string | null, number[][]>();
  for (const e of scored) {
    const g = byTask.get(e.task_id) ?? [];
    g.push(toVector(e.features));
    byTask.set(e.task_id, g);
  }
  const tasks = [...byTask].map(([task_id, P]) => ({ task_id, coverage: taskCoverage(P, cloud) }));
  const hl = scored.reduce((s, e) => s + e.p_human, 0) / scored.length;
  const cov = tasks.reduce((s, t) => s + t.coverage, 0) / tasks.length;
  return { episodes: scored, tasks, hl, cov, score: weights.h * hl + weights.c * cov, dice: diceByDimension(episodes.map((e) => e.features), humans) };
}

/** What the two sides of a score are: their labels and how their turns were prepared. */
export interface ScoreSides {
  episodes: { label: string; preparation: Preparation };
  human: { label: string; preparation: Preparation };
}

/**
 * A discriminator scores only fingerprints made like its training data: the same cue set version, and
 * both sides prepared as its two classes were. Anything else is an InputError naming both values.
 */
function checkScorable(model: DiscriminatorModel, modelLabel: string, cues: CueSet, sides: ScoreSides): void {
  const p = model.provenance;
  if (p.cue_version !== cues.version) {
    const theirs = cueSetByVersion(p.cue_version);
    throw new InputError(
      `discriminator ${modelLabel} was trained on cue set "${p.cue_version}", but these fingerprints would use "${cues.version}"`,
      theirs ? `pass --cues ${theirs.name}, or retrain the discriminator with --cues ${cues.name}` : `retrain the discriminator with --cues ${cues.name}`,
    );
  }
  if (p.preparation === undefined)
    throw new InputError(`discriminator ${modelLabel} was trained before ppol recorded how turns were prepared`, "retrain it with `ppol discriminator train`");
  for (const [side, s] of Object.entries(sides))
    if (s.preparation !== p.preparation)
      throw new InputError(
        `${side} "${s.label}" has "${s.preparation}" turns, but discriminator ${modelLabel} was trained on "${p.preparation}" turns`,
        `re-import it ${p.preparation === "strip-control" ? "with" : "without"} --strip-control, or train a discriminator on sets prepared like it`,
      );
}

/**
 * Score conversations: checks the discriminator against the cue set and both sides' preparation, applies
 * its text normalisation to both (a model trained on normalised text scores normalised text), then
 * fingerprints user turns with the cue set. A run's episodes can be passed as well as any imported file.
 */
export function scoreConversations(
  episodes: readonly Conversation[],
  humans: readonly Conversation[],
  model: DiscriminatorModel,
  opts: ScoreOptions & { cues: CueSet; modelLabel: string; sides: ScoreSides; standardizeByConversations?: readonly Conversation[] },
): ScoreResult {
  const { cues, modelLabel, sides, standardizeByConversations, ...rest } = opts;
  checkScorable(model, modelLabel, cues, sides);
  const mode = model.provenance.normalization;
  const fp = (cs: readonly Conversation[]) => normalizeAll([...cs], mode).map((c) => fingerprint(userTurns(c), cues));
  const eps = normalizeAll([...episodes], mode).map((c) => ({ id: c.id, ...(c.task_id !== undefined ? { task_id: c.task_id } : {}), features: fingerprint(userTurns(c), cues) }));
  return scoreFeatures(eps, fp(humans), model, { ...rest, ...(standardizeByConversations ? { standardizeBy: fp(standardizeByConversations) } : {}) });
}
