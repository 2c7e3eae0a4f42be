import { InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { benchmarkReport, PLOT_FILES, writeRunOutputs } from "../report/index.ts";
import { getRun } from "../store/index.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "plot",
  summary: "draw a run's plots as SVG files (no browser needed)",
  usage: "ppol plot RUN --out DIR [--json]",
  description:
    `A benchmark run: the 2-D PCA of fingerprints (humans vs each condition, ${PLOT_FILES.fingerprints}) and the\n` +
    `per-feature means (${PLOT_FILES.features}). The plots are rendered from the archive (Vega-Lite, no browser) and kept\n` +
    "with the run for the web UI.",
  options: { out: { type: "string", valueName: "DIR", description: "folder for the SVG files (created; its parent must exist)" }, ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "RUN" },
  examples: ["ppol plot bench-20261202-1400-1234abcd --out plots"],
  async run(ctx) {
    const runId = ctx.positionals[0]!;
    const out = str(ctx.values, "out");
    if (!out) throw new UsageError("plot: --out DIR is required", "e.g. --out plots");
    const store = ctx.store();
    const run = getRun(store, runId);
    if (!run) throw new InputError(`no run "${runId}" in ${store.path}`, "list runs with `ppol runs`");
    if (run.kind !== "benchmark") throw new InputError(`run ${runId} is a ${run.kind} run: ppol plot draws benchmark runs`, "run `ppol benchmark` first, or plot a benchmark run");
    const { plots } = benchmarkReport(store, runId, { prices: ctx.config().config.llm.prices, version: versionInfo().ppol, now: new Date() });
    const written = await writeRunOutputs(store, runId, { plots }, resolvePath(ctx.cwd, out), new Date());
    if (ctx.values.json) ctx.io.out(JSON.stringify({ run_id: runId, files: written }));
    else ctx.io.out(`wrote ${written.length} plot${written.length === 1 ? "" : "s"} to ${out}: ${written.map((f) => f.split("/").pop()).join(", ")}`);
  },
});
