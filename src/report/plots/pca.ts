import { PCA } from "ml-pca";
import { z } from "zod";
import { FEATURE_NAMES, zParams, zTransform } from "../../fitness/index.ts";
import { renderSvg } from "./render.ts";

const Vector = z.array(z.number()).length(FEATURE_NAMES.length);

/** Fingerprints (FEATURE_NAMES order) of the human reference and of each condition. */
export const FingerprintGroups = z.object({
  humans: z.array(Vector),
  conditions: z.array(z.object({ name: z.string().min(1), fingerprints: z.array(Vector) })),
});
export type FingerprintGroups = z.input<typeof FingerprintGroups>;

export interface ProjectedPoint {
  group: string;
  pc1: number;
  pc2: number;
}

/**
 * 2-D PCA in the humans' frame: features z-scored by the human mean and std (a constant feature keeps
 * std 1, as coverage does), components fitted on the humans (on everything when there are fewer than 3
 * humans), every point projected onto the first two.
 */
export function projectFingerprints(input: FingerprintGroups): { points: ProjectedPoint[]; explained: [number, number] } {
  const { humans, conditions } = FingerprintGroups.parse(input);
  const all = [...humans, ...conditions.flatMap((c) => c.fingerprints)];
  if (all.length < 2) throw new Error("a PCA projection needs at least two fingerprints");
  const z = zParams(humans.length >= 3 ? humans : all);
  const fitOn = zTransform(humans.length >= 3 ? humans : all, z);
  const pca = new PCA(fitOn, { center: true });
  const project = (rows: number[][]) => (rows.length ? pca.predict(zTransform(rows, z), { nComponents: 2 }).to2DArray() : []);
  const groups: [string, number[][]][] = [["humans", humans], ...conditions.map((c): [string, number[][]] => [c.name, c.fingerprints])];
  const points = groups.flatMap(([group, rows]) => project(rows).map((p) => ({ group, pc1: p[0] ?? 0, pc2: p[1] ?? 0 })));
  const ratio = pca.getExplainedVariance();
  return { points, explained: [ratio[0] ?? 0, ratio[1] ?? 0] };
}

export function pcaSpec(input: FingerprintGroups) {
  const { points, explained } = projectFingerprints(input);
  const order = [...new Set(points.map((p) => p.group))];
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  return {
    title: "Fingerprints, PCA in the human frame",
    width: 420,
    height: 360,
    data: { values: points },
    mark: { type: "point" as const, filled: true, opacity: 0.6, size: 30 },
    encoding: {
      x: { field: "pc1", type: "quantitative" as const, title: `PC1 (${pct(explained[0])} of human variance)` },
      y: { field: "pc2", type: "quantitative" as const, title: `PC2 (${pct(explained[1])})` },
      color: { field: "group", type: "nominal" as const, title: null, sort: order },
      shape: { field: "group", type: "nominal" as const, title: null, sort: order },
    },
  };
}

export const renderPca = async (input: FingerprintGroups) => renderSvg(pcaSpec(input));
