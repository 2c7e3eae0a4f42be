/**
 * Vega-Lite spec → SVG text, headless: the spec is compiled to Vega and rendered by a View with
 * renderer "none", whose toSVG() needs no browser, canvas or font files (text widths are estimated), so
 * the same code runs from source and inside the compiled binary. Data are always inline values.
 * vega and vega-lite are imported on first use: they cost ~150 ms to load, which no other command pays.
 */
import type { TopLevelSpec } from "vega-lite";

export type { TopLevelSpec };

/** House look for every plot: white background, a common font, light frame. */
const CONFIG = { background: "white", font: "Helvetica, Arial, sans-serif", view: { stroke: "#ddd" } } as const;

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  // Padding keeps the last row's axes inside the estimated bounds.
  const { spec: compiled } = compile({ padding: 8, ...spec, config: { ...CONFIG, ...(spec as { config?: object }).config } } as TopLevelSpec);
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
