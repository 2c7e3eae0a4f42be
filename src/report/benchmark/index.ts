export { BenchmarkCondition, BenchmarkPlan, CONDITIONS, parseConditions, simKey } from "./plan.ts";
export { type BenchmarkDeps, type BenchmarkInput, type BenchmarkRunResult, resumeBenchmark, startBenchmark } from "./run.ts";
export { benchmarkReport, type ReportOptions } from "./score.ts";
export { evolveDiscriminator, evolvedProgram } from "./evolved.ts";
export { renderRunOutputs, type RunFile, writeRunOutputs } from "./outputs.ts";
