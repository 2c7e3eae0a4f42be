/**
 * The benchmark report (the paper's Table 1, ppol-method §6): conditions × metrics, each metric with a
 * task-bootstrap interval, one block per agent model. This zod model is the single shape of report.json;
 * report.md and report.csv are rendered from it (write.ts).
 */
import { z } from "zod";
import { ConditionMetrics } from "./metrics.ts";

export const CONDITION_KINDS = ["humans", "base", "dp", "ppol-initial", "ppol-evolved", "ood", "other"] as const;

export const ReportCondition = z.object({
  /** As named on the command line: humans, base, dp, ppol-initial, ppol-evolved, ood:skeptical, … */
  name: z.string().min(1),
  kind: z.enum(CONDITION_KINDS),
  /** Where its episodes are in the archive (simulate/personas runs, a conversation set for humans). */
  sources: z.array(z.string()),
  episodes: z.int().nonnegative(),
  tasks: z.int().nonnegative(),
  metrics: ConditionMetrics,
});
export type ReportCondition = z.infer<typeof ReportCondition>;

export const AgentBlock = z.object({
  /** The agent model these conditions ran against (null for a block of human conversations only). */
  agent_model: z.string().nullable(),
  conditions: z.array(ReportCondition).min(1),
});
export type AgentBlock = z.infer<typeof AgentBlock>;

export const BenchmarkReport = z.object({
  format: z.literal("ppol-benchmark-report/1"),
  ppol_version: z.string(),
  created_at: z.string(),
  domain: z.string(),
  split: z.string(),
  personas_per_task: z.int().nonnegative(),
  trials: z.int().positive(),
  max_steps: z.int().positive(),
  seed: z.int(),
  /** How every interval was made. */
  intervals: z.object({ method: z.literal("percentile bootstrap over tasks"), level: z.number().gt(0).lt(1), resamples: z.int().positive() }),
  weights: z.object({ h: z.number(), c: z.number() }),
  human_set: z.string().nullable(),
  discriminator: z.string().nullable(),
  user_model: z.string().nullable(),
  agents: z.array(AgentBlock).min(1),
});
export type BenchmarkReport = z.infer<typeof BenchmarkReport>;

/** Metric columns in display order: key in ConditionMetrics, header, digits. pass^k columns follow reward. */
export const METRIC_COLUMNS = [
  ["hl", "HL", 3],
  ["cov", "Cov", 3],
  ["score", "Score", 3],
  ["d1", "D1", 3],
  ["d2", "D2", 3],
  ["d3", "D3", 3],
  ["d4", "D4", 3],
  ["usi", "USI", 3],
  ["fidelity_flag_rate", "Flags", 3],
  ["reward", "Reward", 3],
  ["user_turns", "Turns", 1],
  ["tokens", "Tokens", 0],
  ["cost", "Cost $", 4],
] as const;
