/**
 * Human-likeness discriminator (ppol-method §4.2): a random forest on standardised fingerprints,
 * positive class = real humans, negative = persona-free simulator episodes. As in the reference, the
 * scaler is fitted on all training rows, cross-validation is stratified k-fold without shuffling
 * (k = min(5, max(2, ⌊n/2⌋)), further capped by the smaller class so every fold has both classes),
 * each fold scored by ROC-AUC, and the final model is fitted on all rows.
 */
import { z } from "zod";
import { InputError } from "../errors.ts";
import { Normalization, Preparation } from "../model/index.ts";
import { FEATURE_NAMES, FEATURE_VERSION, type Features, toVector } from "./fingerprint.ts";
import { Forest, ForestOptions, fitForest, predictProba } from "./forest.ts";

export const Scaler = z.object({ mean: z.array(z.number()), scale: z.array(z.number()) });
export type Scaler = z.infer<typeof Scaler>;

/** StandardScaler: population std; a (near-)constant feature gets scale 1 so nothing divides by 0. */
export function fitScaler(X: readonly (readonly number[])[]): Scaler {
  const d = X[0]?.length ?? 0;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j]!, 0) / X.length);
  const scale = mean.map((m, j) => {
    const sd = Math.sqrt(X.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / X.length);
    return sd < 10 * Number.EPSILON * Math.max(1, Math.abs(m)) ? 1 : sd;
  });
  return { mean, scale };
}

export function applyScaler(s: Scaler, x: readonly number[]): number[] {
  return x.map((v, j) => (v - s.mean[j]!) / s.scale[j]!);
}

/** ROC-AUC = P(score of a random positive > a random negative), ties counting ½ (average ranks). */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const nPos = labels.filter((l) => l === 1).length;
  const nNeg = labels.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error("rocAuc: needs both classes");
  const rankSum = labels.reduce((s, l, i) => s + (l === 1 ? ranks[i]! : 0), 0);
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Stratified fold index per row, as scikit-learn's StratifiedKFold(shuffle=False): class sizes per fold
 * come from dealing the label-sorted rows round-robin; within a class, rows keep file order in blocks.
 */
export function stratifiedFolds(y: readonly number[], k: number): number[] {
  const classes = [...new Set(y)].sort((a, b) => a - b);
  const sorted = [...y].sort((a, b) => a - b);
  const fold = new Array<number>(y.length).fill(0);
  for (const c of classes) {
    const perFold = Array.from({ length: k }, (_, f) => sorted.filter((v, i) => i % k === f && v === c).length);
    const labels = perFold.flatMap((count, f) => new Array<number>(count).fill(f));
    let next = 0;
    y.forEach((v, i) => {
      if (v === c) fold[i] = labels[next++]!;
    });
  }
  return fold;
}

export const Provenance = z.object({
  feature_version: z.string(),
  /** The cue set version both classes were fingerprinted with. */
  cue_version: z.string(),
  normalization: Normalization,
  /** How both classes' turns were prepared; absent on models trained before ppol recorded it. */
  preparation: Preparation.optional(),
  /** The reference's domain: one model per (domain, agent model, user model). */
  domain: z.string().nullable().default(null),
  human: z.object({ name: z.string(), n: z.int(), hash: z.string() }),
  simulator: z.object({ name: z.string(), n: z.int(), hash: z.string() }),
  /** Models behind the simulator episodes when known (agent, user simulator). */
  models: z.record(z.string(), z.string()).default({}),
});
export type Provenance = z.infer<typeof Provenance>;

export const CvReport = z.object({ folds: z.int(), aucs: z.array(z.number()), mean: z.number(), std: z.number() });
export type CvReport = z.infer<typeof CvReport>;

/** Everything needed to score later, as JSON in the archive. */
export const DiscriminatorModel = z.object({
  feature_names: z.array(z.string()),
  scaler: Scaler,
  forest: Forest,
  cv: CvReport,
  provenance: Provenance,
});
export type DiscriminatorModel = z.infer<typeof DiscriminatorModel>;

export interface TrainResult {
  model: DiscriminatorModel;
  /** True when the CV AUC is below 0.7 (humans and simulator hard to tell apart). */
  weak: boolean;
}

export function trainDiscriminator(
  human: readonly Features[],
  simulator: readonly Features[],
  provenance: Omit<z.input<typeof Provenance>, "feature_version">,
  options: Partial<ForestOptions> = {},
): TrainResult {
  if (human.length < 2 || simulator.length < 2)
    throw new InputError(
      `discriminator needs at least 2 conversations per class (human ${human.length}, simulator ${simulator.length})`,
      "import more conversations into the smaller set",
    );
  const X = [...human, ...simulator].map(toVector);
  const y = [...human.map(() => 1), ...simulator.map(() => 0)];
  const scaler = fitScaler(X);
  const Xs = X.map((x) => applyScaler(scaler, x));
  const k = Math.min(5, Math.max(2, Math.floor(y.length / 2)), human.length, simulator.length);
  const fold = stratifiedFolds(y, k);
  const aucs: number[] = [];
  for (let f = 0; f < k; f++) {
    const train = Xs.flatMap((x, i) => (fold[i] === f ? [] : [i]));
    const test = Xs.flatMap((x, i) => (fold[i] === f ? [i] : []));
    const forest = fitForest(train.map((i) => Xs[i]!), train.map((i) => y[i]!), options);
    aucs.push(rocAuc(test.map((i) => y[i]!), test.map((i) => predictProba(forest, Xs[i]!))));
  }
  const mean = aucs.reduce((a, b) => a + b, 0) / k;
  const std = Math.sqrt(aucs.reduce((s, a) => s + (a - mean) ** 2, 0) / k);
  const forest = fitForest(Xs, y, options);
  const model: DiscriminatorModel = {
    feature_names: [...FEATURE_NAMES],
    scaler,
    forest,
    cv: { folds: k, aucs, mean, std },
    provenance: Provenance.parse({ ...provenance, feature_version: FEATURE_VERSION }),
  };
  return { model, weak: mean < 0.7 };
}

/** P(human) of one fingerprint under a trained model (applies the model's scaler). */
export function pHuman(model: DiscriminatorModel, features: Features): number {
  return predictProba(model.forest, applyScaler(model.scaler, toVector(features)));
}
