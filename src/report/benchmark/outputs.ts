/**
 * A benchmark's report and plots, rendered once: kept in the archive (run_artifacts, so the web UI and a
 * colleague with the archive have them) and, when asked, written to a folder (each file atomically).
 */
import { join } from "node:path";
import { ensureOutputDir, writeFileAtomic } from "../../files.ts";
import { saveArtifacts, type Store } from "../../store/index.ts";
import { PLOT_FILES, type PlotData, renderEvolution, renderFeatures, renderGrid, renderPca } from "../plots/index.ts";
import type { BenchmarkReport } from "../report.ts";
import { reportCsv, reportMarkdown } from "../write.ts";

/** Render every output; store them with the run; write them to `dir` when given. Returns the paths written. */
export async function writeRunOutputs(store: Store, runId: string, outputs: { report?: BenchmarkReport; plots: PlotData }, dir: string | undefined, now: Date): Promise<string[]> {
  const files: { name: string; content_type: string; body: string }[] = [];
  if (outputs.report) {
    files.push({ name: "report.json", content_type: "application/json", body: `${JSON.stringify(outputs.report, null, 2)}\n` });
    files.push({ name: "report.csv", content_type: "text/csv", body: reportCsv(outputs.report) });
    files.push({ name: "report.md", content_type: "text/markdown", body: reportMarkdown(outputs.report) });
  }
  const p = outputs.plots;
  const svg = "image/svg+xml";
  if (p.evolution?.length) files.push({ name: PLOT_FILES.evolution, content_type: svg, body: await renderEvolution(p.evolution) });
  if (p.grid?.length) files.push({ name: PLOT_FILES.grid, content_type: svg, body: await renderGrid(p.grid, p.gridAxes) });
  if (p.fingerprints && p.fingerprints.humans.length + p.fingerprints.conditions.reduce((s, c) => s + c.fingerprints.length, 0) >= 2)
    files.push({ name: PLOT_FILES.fingerprints, content_type: svg, body: await renderPca(p.fingerprints) });
  if (p.features) files.push({ name: PLOT_FILES.features, content_type: svg, body: await renderFeatures(p.features) });
  if (dir) ensureOutputDir(dir); // a missing parent fails before anything is stored
  saveArtifacts(store, runId, files, now);
  if (!dir) return [];
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileAtomic(path, f.body);
    return path;
  });
}
