/** report.md and report.csv rendered from one BenchmarkReport (report.json is the report itself). */
import { csvLines } from "./csv.ts";
import { type BenchmarkReport, METRIC_COLUMNS, type ReportCondition } from "./report.ts";
import type { Estimate } from "./stats.ts";

/** Every k of pass^k that any condition reports, ascending. */
function passKs(report: BenchmarkReport): string[] {
  const ks = new Set(report.agents.flatMap((a) => a.conditions.flatMap((c) => Object.keys(c.metrics.pass_hat_k))));
  return [...ks].sort((a, b) => Number(a) - Number(b));
}

interface Column {
  /** CSV name (the report.json key; pass^k as pass_hat_K). */
  key: string;
  header: string;
  digits: number;
  get: (c: ReportCondition) => Estimate | undefined;
}

function columns(report: BenchmarkReport): Column[] {
  const out: Column[] = [];
  for (const [key, header, digits] of METRIC_COLUMNS) {
    out.push({ key, header, digits, get: (c) => c.metrics[key] });
    if (key === "reward") for (const k of passKs(report)) out.push({ key: `pass_hat_${k}`, header: `pass^${k}`, digits: 3, get: (c) => c.metrics.pass_hat_k[k] });
  }
  return out;
}

const num = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? "" : x.toFixed(digits));

function cell(e: Estimate | undefined, digits: number): string {
  if (!e || e.value === null) return "–";
  return e.lo === null || e.hi === null ? num(e.value, digits) : `${num(e.value, digits)} [${num(e.lo, digits)}, ${num(e.hi, digits)}]`;
}

export function reportMarkdown(report: BenchmarkReport): string {
  const cols = columns(report);
  const pct = Math.round(report.intervals.level * 100);
  const lines = [
    `# ppol benchmark: ${report.domain} (${report.split} split)`,
    "",
    `${report.personas_per_task} personas per task · ${report.trials} trial(s) · at most ${report.max_steps} steps · seed ${report.seed} · ppol ${report.ppol_version} · ${report.created_at}`,
    `Human reference: ${report.human_set ?? "none"} · discriminator: ${report.discriminator ?? "none"} · user simulator: ${report.user_model ?? "?"} · Score = ${report.weights.h}·HL + ${report.weights.c}·Cov`,
    "",
    `Cells are value [${pct}% CI]: ${report.intervals.method}, ${report.intervals.resamples} resamples. D1–D4 and USI are aggregate-first Dice against the human means (diagnostics). Flags = share of episodes with a goal-fidelity flag. pass^k is over trials of one user (task × persona). Tokens and cost are per episode.`,
  ];
  for (const block of report.agents) {
    lines.push("", `## Agent: ${block.agent_model ?? "(none)"}`, "");
    lines.push(`| Condition | Episodes | Tasks | ${cols.map((c) => c.header).join(" | ")} |`);
    lines.push(`| --- | ---: | ---: | ${cols.map(() => "---:").join(" | ")} |`);
    for (const c of block.conditions) lines.push(`| ${c.name} | ${c.episodes} | ${c.tasks} | ${cols.map((col) => cell(col.get(c), col.digits)).join(" | ")} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** One row per (agent model, condition); each metric as value, lo, hi columns (empty when undefined). */
export function reportCsv(report: BenchmarkReport): string {
  const cols = columns(report);
  const header = ["agent_model", "condition", "kind", "episodes", "tasks", ...cols.flatMap((c) => [c.key, `${c.key}_lo`, `${c.key}_hi`])];
  const rows = report.agents.flatMap((block) =>
    block.conditions.map((c) => [
      block.agent_model ?? "",
      c.name,
      c.kind,
      String(c.episodes),
      String(c.tasks),
      ...cols.flatMap((col) => {
        const e = col.get(c);
        return [e?.value, e?.lo, e?.hi].map((x) => (x === null || x === undefined ? "" : String(x)));
      }),
    ]),
  );
  return csvLines([header, ...rows]);
}
