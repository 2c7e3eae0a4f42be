/** Fitness: behavioural fingerprint, human-likeness discriminator, coverage and the combined score. */
export { compileCueSet, CUE_SET_NAMES, CUE_SETS, type CueSet, cueSetByVersion, DEFAULT_CUE_SET, RATE_FEATURES, resolveCueSet } from "./cues.ts";
export { D1, D2, D3, D4, DIMENSIONS, FEATURE_NAMES, FEATURE_VERSION, type FeatureName, type Features, fingerprint, fromVector, toVector, tokenize, zeroFeatures } from "./fingerprint.ts";
export { applyScaler, CvReport, DiscriminatorModel, fitScaler, pHuman, Provenance, rocAuc, stratifiedFolds, trainDiscriminator, type TrainResult } from "./discriminator.ts";
export { Forest, ForestOptions, fitForest, predictProba } from "./forest.ts";
export { chamferError, coverageScore, type HumanCloud, kMeans, meanPairwiseDistance, prepareCloud, type Space, taskCoverage, zParams, zTransform } from "./coverage.ts";
export { curriculumWeights, dice, diceByDimension, type EpisodeFeatures, meanFeatures, type ScoreOptions, ScoreResult, type ScoreSides, scoreConversations, scoreFeatures, VALIDATION_WEIGHTS, type Weights } from "./score.ts";
export { type FitnessArchive, type FitnessDeps, fingerprintFile, type HumanSplit, loadDiscriminatorModel, scoreFromSources, type ScoreSourcesOptions, trainFromSources, type TrainOptions, type TrainReport } from "./stage.ts";
