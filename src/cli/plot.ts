import { InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { benchmarkReport, evolveDashboard, PLOT_FILES, type PlotData, writeRunOutputs } from "../report/index.ts";
import { getRun } from "../store/index.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "plot",
  summary: "draw a run's plots as SVG files (no browser needed)",
  usage: "ppol plot RUN --out DIR [--json]",
  description:
    `An evolve run: train and validation score, HL and Cov per island over iterations (${PLOT_FILES.evolution}) and the\n` +
    `MAP-Elites grids as heat maps (${PLOT_FILES.grid}). A benchmark run: the 2-D PCA of fingerprints (humans vs each\n` +
    `condition, ${PLOT_FILES.fingerprints}) and the per-feature means (${PLOT_FILES.features}). Rendered from the archive\n` +
    "(Vega-Lite, no browser) and kept with the run for the web UI.",
  options: { out: { type: "string", valueName: "DIR", description: "folder for the SVG files (created; its parent must exist)" }, ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "RUN" },
  examples: ["ppol plot evolve-20261202-1200-ab12cd34 --out plots", "ppol plot bench-20261202-1400-1234abcd --out plots"],
  async run(ctx) {
    const runId = ctx.positionals[0]!;
    const out = str(ctx.values, "out");
    if (!out) throw new UsageError("plot: --out DIR is required", "e.g. --out plots");
    const store = ctx.store();
    const run = getRun(store, runId);
    if (!run) throw new InputError(`no run "${runId}" in ${store.path}`, "list runs with `ppol runs`");
    const prices = ctx.config().config.llm.prices;
    let plots: PlotData;
    if (run.kind === "benchmark") plots = benchmarkReport(store, runId, { prices, version: versionInfo().ppol, now: new Date() }).plots;
    else if (run.kind === "evolve") {
      const d = evolveDashboard(store, runId, prices);
      if (!d || !d.iterations.length) throw new InputError(`evolve run ${runId} has no evaluated program yet`, `continue it with \`ppol evolve --resume ${runId}\``);
      plots = {
        evolution: d.iterations.map((p) => ({ island: p.island, iteration: p.iteration, train_score: p.train, val_score: p.validation, hl: p.hl, cov: p.cov })),
        grid: d.grids.flatMap((g) => g.cells.map((c) => ({ island: g.island, x: c.covBin, y: c.hlBin, score: c.score }))),
        gridAxes: { x: "Cov bin", y: "HL bin" },
      };
    } else throw new InputError(`run ${runId} is a ${run.kind} run: ppol plot draws evolve and benchmark runs`, "plot an evolve or benchmark run (`ppol runs`)");
    const written = await writeRunOutputs(store, runId, { plots }, resolvePath(ctx.cwd, out), new Date());
    if (ctx.values.json) ctx.io.out(JSON.stringify({ run_id: runId, files: written }));
    else ctx.io.out(`wrote ${written.length} plot${written.length === 1 ? "" : "s"} to ${out}: ${written.map((f) => f.split("/").pop()).join(", ")}`);
  },
});
