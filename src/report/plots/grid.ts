import { z } from "zod";
import { renderSvg } from "./render.ts";

/** One occupied MAP-Elites cell: its coordinates on the two behaviour axes and its elite's score. */
export const GridCell = z.object({
  island: z.union([z.string(), z.int()]).transform(String),
  x: z.int(),
  y: z.int(),
  score: z.number(),
});
export type GridCell = z.input<typeof GridCell>;

/** The MAP-Elites grid as a heat map per island: one rect per occupied cell, colour = elite score. */
export function gridSpec(cells: readonly GridCell[], axes: { x?: string; y?: string } = {}) {
  const values = z.array(GridCell).parse(cells);
  return {
    title: "MAP-Elites grid (elite score per cell)",
    data: { values },
    facet: { field: "island", type: "nominal" as const, title: "island" },
    columns: 4,
    spec: {
      width: 160,
      height: 160,
      mark: { type: "rect" as const, stroke: "white" },
      encoding: {
        x: { field: "x", type: "ordinal" as const, title: axes.x ?? "x" },
        y: { field: "y", type: "ordinal" as const, title: axes.y ?? "y", sort: "descending" as const },
        color: { field: "score", type: "quantitative" as const, title: "score", scale: { scheme: "viridis" } },
      },
    },
  };
}

export const renderGrid = async (cells: readonly GridCell[], axes?: { x?: string; y?: string }) => renderSvg(gridSpec(cells, axes));
