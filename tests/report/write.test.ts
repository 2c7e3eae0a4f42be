import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PpolError } from "../../src/errors.ts";
import { type BenchmarkReport, type ConditionMetrics, type Estimate, renderRunOutputs, writeRunOutputs } from "../../src/report/index.ts";
import { createRun, openStore } from "../../src/store/index.ts";

const est = (value: number | null, lo: number | null = value, hi: number | null = value, n = 2): Estimate => ({ value, lo, hi, n });
const metrics = (reward: number, hl: number | null): ConditionMetrics => ({
  hl: est(hl, hl === null ? null : hl - 0.1, hl === null ? null : hl + 0.1),
  cov: est(0.4),
  score: est(0.45),
  d1: est(0.9), d2: est(0.8), d3: est(0.7), d4: est(0.6), usi: est(0.75),
  fidelity_flag_rate: est(0.25),
  reward: est(reward, reward - 0.2, reward + 0.2),
  pass_hat_k: { "1": est(reward), "2": est(reward / 2) },
  user_turns: est(6.5),
  tokens: est(1234),
  cost: est(null),
});

const report: BenchmarkReport = {
  format: "ppol-benchmark-report/1",
  ppol_version: "0.1.0",
  created_at: "2026-12-02T10:00:00.000Z",
  domain: "airline",
  split: "test",
  personas_per_task: 10,
  trials: 2,
  max_steps: 30,
  seed: 42,
  intervals: { method: "percentile bootstrap over tasks", level: 0.95, resamples: 1000 },
  weights: { h: 0.5, c: 0.5 },
  human_set: "usi-airline",
  discriminator: "d-0123456789ab",
  user_model: "qwen3:8b",
  agents: [
    { agent_model: "gemma, large", conditions: [
      { name: "base", kind: "base", sources: ["sim-1"], episodes: 40, tasks: 20, metrics: metrics(0.6, 0.3) },
      { name: "ppol-evolved", kind: "ppol-evolved", sources: ["sim-2"], episodes: 400, tasks: 20, metrics: metrics(0.4, null) },
    ] },
  ],
};

describe("report writers", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "ppol-report-")), "out");
  const store = openStore(join(dir, "..", "a.sqlite"));
  createRun(store, { id: "bench-1", kind: "benchmark", config: {}, version: "test", now: new Date() });
  let written: string[] = [];
  beforeAll(async () => {
    written = await writeRunOutputs(store, "bench-1", { report, plots: {} }, dir, new Date());
  });

  test("writes the three files and keeps them with the run; report.json round-trips exactly", () => {
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(["report.csv", "report.json", "report.md"]);
    expect(JSON.parse(readFileSync(join(dir, "report.json"), "utf8"))).toEqual(report);
    const stored = store.db.query("SELECT name, body FROM run_artifacts WHERE run_id = 'bench-1' ORDER BY name").all() as { name: string; body: string }[];
    expect(stored.map((a) => a.name)).toEqual(["report.csv", "report.json", "report.md"]);
    expect(stored[1]!.body).toBe(readFileSync(join(dir, "report.json"), "utf8"));
  });

  test("report.csv: one row per agent × condition, value/lo/hi per metric, quoted where needed", () => {
    const lines = readFileSync(join(dir, "report.csv"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    const header = lines[0]!.split(",");
    expect(header.slice(0, 8)).toEqual(["agent_model", "condition", "kind", "episodes", "tasks", "hl", "hl_lo", "hl_hi"]);
    expect(header).toContain("pass_hat_2_hi");
    expect(header.indexOf("pass_hat_1")).toBe(header.indexOf("reward_hi") + 1);
    expect(lines[1]!.startsWith('"gemma, large",base,base,40,20,0.3,0.19999999999999998,0.4,')).toBe(true);
    // Undefined estimates are empty cells, not "null".
    expect(lines[2]).toContain(",ppol-evolved,ppol-evolved,400,20,,,,0.4,");
    expect(lines.join("\n")).not.toContain("null");
  });

  test("report.md: a table per agent, value [lo, hi] cells, dashes for undefined values", () => {
    const md = readFileSync(join(dir, "report.md"), "utf8");
    expect(md).toContain("## Agent: gemma, large");
    expect(md).toContain("| Condition | Episodes | Tasks | HL | Cov | Score | D1 | D2 | D3 | D4 | USI | Flags | Reward | pass^1 | pass^2 | Turns | Tokens | Cost $ |");
    expect(md).toContain("| base | 40 | 20 | 0.300 [0.200, 0.400] | 0.400 [0.400, 0.400] |");
    expect(md).toMatch(/\| ppol-evolved \| 400 \| 20 \| – \|/);
    expect(md).toContain("95% CI");
  });

  test("an invalid report is refused before anything is written; a missing folder is an input error", async () => {
    await expect(renderRunOutputs({ report: { ...report, agents: [] }, plots: {} })).rejects.toThrow();
    await expect(writeRunOutputs(store, "bench-1", { report, plots: {} }, join(dir, "no/such"), new Date())).rejects.toThrow(PpolError);
  });
});
