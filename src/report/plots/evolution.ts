import { z } from "zod";
import { renderSvg } from "./render.ts";

/** One program's numbers at one iteration of one island (as the evolve tables record them). */
export const EvolutionPoint = z.object({
  island: z.union([z.string(), z.int()]).transform(String),
  iteration: z.int().nonnegative(),
  train_score: z.number().nullable(),
  val_score: z.number().nullable().optional(),
  hl: z.number().nullable(),
  cov: z.number().nullable(),
});
export type EvolutionPoint = z.input<typeof EvolutionPoint>;

const PANELS = [
  ["train_score", "train score"],
  ["val_score", "validation score"],
  ["hl", "HL"],
  ["cov", "Cov"],
] as const;

/**
 * Evolution curves: one panel per measure (train and validation score, HL, Cov), one line per island over
 * iterations. Missing values (e.g. no validation at that iteration) are left out, not drawn as 0.
 */
export function evolutionSpec(points: readonly EvolutionPoint[]) {
  const rows = z.array(EvolutionPoint).parse(points);
  const values = rows.flatMap((r) =>
    PANELS.flatMap(([key, measure]) => {
      const v = r[key];
      return v === null || v === undefined ? [] : [{ island: r.island, iteration: r.iteration, measure, value: v }];
    }),
  );
  return {
    title: "Evolution per island",
    data: { values },
    facet: { field: "measure", type: "nominal" as const, title: null, sort: PANELS.map(([, m]) => m) },
    columns: 2,
    spec: {
      width: 280,
      height: 160,
      mark: { type: "line" as const, point: false },
      encoding: {
        x: { field: "iteration", type: "quantitative" as const, title: "iteration" },
        y: { field: "value", type: "quantitative" as const, title: null, scale: { zero: false } },
        color: { field: "island", type: "nominal" as const, title: "island" },
      },
    },
    resolve: { scale: { y: "independent" as const } },
  };
}

export const renderEvolution = async (points: readonly EvolutionPoint[]) => renderSvg(evolutionSpec(points));
