import { z } from "zod";
import { FEATURE_NAMES } from "../../fitness/index.ts";
import { renderSvg } from "./render.ts";

const Means = z.array(z.number()).length(FEATURE_NAMES.length);

/** Mean fingerprint (FEATURE_NAMES order) of the humans and of each condition. */
export const FeatureMeans = z.object({
  humans: Means,
  conditions: z.array(z.object({ name: z.string().min(1), means: Means })),
});
export type FeatureMeans = z.input<typeof FeatureMeans>;

/** Per-feature bars, humans first then each condition; one small panel per feature (own y scale). */
export function featureSpec(input: FeatureMeans) {
  const { humans, conditions } = FeatureMeans.parse(input);
  const groups: [string, number[]][] = [["humans", humans], ...conditions.map((c): [string, number[]] => [c.name, c.means])];
  const order = groups.map(([g]) => g);
  const values = groups.flatMap(([group, means]) => FEATURE_NAMES.map((feature, j) => ({ feature, group, value: means[j]! })));
  return {
    title: "Mean fingerprint per feature: humans vs conditions",
    data: { values },
    facet: { field: "feature", type: "nominal" as const, title: null, sort: [...FEATURE_NAMES] },
    columns: 5,
    spec: {
      width: 120,
      height: 90,
      mark: { type: "bar" as const },
      encoding: {
        x: { field: "group", type: "nominal" as const, title: null, sort: order, axis: { labels: false, ticks: false } },
        y: { field: "value", type: "quantitative" as const, title: null },
        color: { field: "group", type: "nominal" as const, title: null, sort: order },
      },
    },
    resolve: { scale: { y: "independent" as const } },
  };
}

export const renderFeatures = async (input: FeatureMeans) => renderSvg(featureSpec(input));
