/**
 * A run's report and plots, rendered once: kept in the archive (run_artifacts, so the web UI and a
 * colleague with the archive have them) and, when asked, written to a folder (each file atomically).
 */
import { join } from "node:path";
import { ensureOutputDir, writeFileAtomic } from "../../files.ts";
import { saveArtifacts, type Store } from "../../store/index.ts";
import { PLOT_FILES, type PlotData, renderEvolution, renderFeatures, renderGrid, renderPca } from "../plots/index.ts";
import { BenchmarkReport } from "../report.ts";
import { reportCsv, reportMarkdown } from "../write.ts";

export interface RunFile {
  name: string;
  content_type: string;
  body: string;
}

/** report.json / .csv / .md (the report is validated first) and every plot there is data for. */
export async function renderRunOutputs(outputs: { report?: BenchmarkReport; plots: PlotData }): Promise<RunFile[]> {
  const files: RunFile[] = [];
  if (outputs.report) {
    const report = BenchmarkReport.parse(outputs.report);
    files.push({ name: "report.json", content_type: "application/json", body: `${JSON.stringify(report, null, 2)}\n` });
    files.push({ name: "report.csv", content_type: "text/csv", body: reportCsv(report) });
    files.push({ name: "report.md", content_type: "text/markdown", body: reportMarkdown(report) });
  }
  const p = outputs.plots;
  const svg = "image/svg+xml";
  if (p.evolution?.length) files.push({ name: PLOT_FILES.evolution, content_type: svg, body: await renderEvolution(p.evolution) });
  if (p.grid?.length) files.push({ name: PLOT_FILES.grid, content_type: svg, body: await renderGrid(p.grid, p.gridAxes) });
  if (p.fingerprints && p.fingerprints.humans.length + p.fingerprints.conditions.reduce((s, c) => s + c.fingerprints.length, 0) >= 2)
    files.push({ name: PLOT_FILES.fingerprints, content_type: svg, body: await renderPca(p.fingerprints) });
  if (p.features) files.push({ name: PLOT_FILES.features, content_type: svg, body: await renderFeatures(p.features) });
  return files;
}

/** Render every output; store them with the run; write them to `dir` when given. Returns the paths written. */
export async function writeRunOutputs(store: Store, runId: string, outputs: { report?: BenchmarkReport; plots: PlotData }, dir: string | undefined, now: Date): Promise<string[]> {
  const files = await renderRunOutputs(outputs);
  if (dir) ensureOutputDir(dir); // a missing parent fails before anything is stored
  saveArtifacts(store, runId, files, now);
  if (!dir) return [];
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileAtomic(path, f.body);
    return path;
  });
}
