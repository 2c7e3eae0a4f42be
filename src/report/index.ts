/**
 * Reports: what the archive holds, read back for people (CLI tables, JSON, files) and the server;
 * statistics with task-bootstrap intervals, the benchmark report model and its writers, plots (SVG without
 * a browser), and exports for other tools.
 *
 *   startBenchmark(deps, input) / resumeBenchmark(deps, runId)     // `ppol benchmark`: personas and simulate runs per condition
 *   benchmarkReport(store, runId, opts)                            // Table 1 from the archive, with plot data
 *   const tasks = aggregateTasks(episodeStats, coverageByTask)      // one small aggregate per task
 *   conditionMetrics(tasks, { rng: createRng(seed), humans })       // every metric with its 95% CI
 *   await writeRunOutputs(store, runId, { report, plots }, dir, now) // report.md/.json/.csv + SVG plots: archive and folder
 *   createBundle(store, runId, opts) / verifyBundle(openBundle(file), deps)   // `ppol bundle`: one run to replay offline
 */
export { createBundle, type CreateBundleOptions, type CreatedBundle } from "./bundle-create.ts";
export { verifyBundle, type Difference, type VerifyDeps, type VerifyResult } from "./bundle-verify.ts";
export { listRunItems, runDetail, type RunDetail, type RunListItem } from "./runs.ts";
export * from "./benchmark/index.ts";
export { type EvolveBlock, evolveBlock, type EvolveDashboard, evolveDashboard } from "./evolve.ts";
export { aggregateTasks, ConditionMetrics, conditionMetrics, EpisodeStats, type MetricsOptions, type TaskAggregate } from "./metrics.ts";
export { AgentBlock, BenchmarkReport, CONDITION_KINDS, METRIC_COLUMNS, ReportCondition } from "./report.ts";
export { bootstrapCi, bootstrapCis, bootstrapMean, DEFAULT_LEVEL, DEFAULT_RESAMPLES, Estimate, mean, quantile, tInterval, type BootstrapOptions } from "./stats.ts";
export { reportCsv, reportMarkdown } from "./write.ts";
export * from "./plots/index.ts";
export * from "./export/index.ts";
