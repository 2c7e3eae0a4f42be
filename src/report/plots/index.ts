/**
 * Report plots as SVG files, rendered without a browser (Vega-Lite → Vega, renderer "none"). Each takes
 * plain data (zod-checked) and returns the SVG text (benchmark/outputs.ts writes them with a run).
 */
import { type EvolutionPoint, renderEvolution } from "./evolution.ts";
import { type FeatureMeans, renderFeatures } from "./features.ts";
import { type GridCell, renderGrid } from "./grid.ts";
import { type FingerprintGroups, renderPca } from "./pca.ts";

export { EvolutionPoint, evolutionSpec, renderEvolution } from "./evolution.ts";
export { FeatureMeans, featureSpec, renderFeatures } from "./features.ts";
export { GridCell, gridSpec, renderGrid } from "./grid.ts";
export { FingerprintGroups, pcaSpec, projectFingerprints, renderPca, type ProjectedPoint } from "./pca.ts";
export { renderSvg } from "./render.ts";

export interface PlotData {
  evolution?: readonly EvolutionPoint[];
  grid?: readonly GridCell[];
  gridAxes?: { x?: string; y?: string };
  fingerprints?: FingerprintGroups;
  features?: FeatureMeans;
}

export const PLOT_FILES = { evolution: "evolution.svg", grid: "grid.svg", fingerprints: "fingerprints-pca.svg", features: "features.svg" } as const;
