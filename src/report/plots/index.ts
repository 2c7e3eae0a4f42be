/**
 * Report plots as SVG files, rendered without a browser (Vega-Lite → Vega, renderer "none"). Each takes
 * plain data (zod-checked) and returns the SVG text; `writePlots` writes the ones it has data for.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../../files.ts";
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

/** Render and write (atomically) every plot whose data is given and non-empty; returns the paths written. */
export async function writePlots(dir: string, data: PlotData): Promise<string[]> {
  const jobs: [string, () => Promise<string>][] = [];
  if (data.evolution?.length) jobs.push([PLOT_FILES.evolution, () => renderEvolution(data.evolution!)]);
  if (data.grid?.length) jobs.push([PLOT_FILES.grid, () => renderGrid(data.grid!, data.gridAxes)]);
  if (data.fingerprints) jobs.push([PLOT_FILES.fingerprints, () => renderPca(data.fingerprints!)]);
  if (data.features) jobs.push([PLOT_FILES.features, () => renderFeatures(data.features!)]);
  const written: string[] = [];
  for (const [name, render] of jobs) {
    const path = join(dir, name);
    writeFileAtomic(path, await render());
    written.push(path);
  }
  return written;
}
