import { runDetail } from "../report/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";
import { formatCost, formatTokens, table } from "./format.ts";

export default defineCommand({
  name: "run show",
  summary: "one run: plan and config, status history, counts, tokens and cost per role, timings, what to run next",
  usage: "ppol run show ID [--json]",
  description: "Reads the archive only. For an interrupted or failed run the last line is the command that continues it.",
  options: { ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "ID" },
  examples: ["ppol run show sim-20261126-1203-ab12cd34", "ppol run show personas-1a2b3c4d --json"],
  run(ctx) {
    const d = runDetail(ctx.store(), ctx.positionals[0]!, ctx.config().config.llm.prices);
    if (ctx.values.json) return void ctx.io.out(JSON.stringify(d, null, 2));
    const out = ctx.io.out;
    out(`run ${d.id} (${d.kind}) — ${d.status}`);
    out(`  ${d.summary}`);
    out(`  created ${d.created_at} · updated ${d.updated_at} · running ${duration(d.timings.running_s)} of ${duration(d.timings.elapsed_s)} · seed ${d.seed ?? "-"} · ppol ${d.ppol_version}`);
    if (d.plan) out(`  plan: ${JSON.stringify(d.plan)}`);
    if (d.parent_id) out(`  made by run ${d.parent_id}`);
    if (d.sub_runs.length) out(`  runs it made: ${d.sub_runs.length} (${d.sub_runs.slice(0, 6).map((r) => `${r.id} ${r.status}`).join(", ")}${d.sub_runs.length > 6 ? ", …" : ""})`);
    out(`  history: ${d.history.map((e) => `${e.status} ${e.at.slice(11, 19)}${e.note ? ` (${e.note})` : ""}`).join(" → ")}`);
    if (Object.keys(d.counts).length) out(`  counts: ${Object.entries(d.counts).map(([k, v]) => `${k} ${v}`).join(" · ")}`);
    if (d.episodes?.episodes) {
      const s = d.episodes;
      out(`  avg reward ${s.avg_reward.toFixed(3)} · ${Object.entries(s.pass_hat_k).map(([k, v]) => `pass^${k} ${v.toFixed(3)}`).join(" · ")} · terminations ${Object.entries(s.terminations).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    }
    if (d.usage.length) {
      out("");
      out(table(["role", "model", "calls", "errors", "tokens in", "tokens out", "cost", "mean latency"], d.usage.map((u) => [u.role, u.model, String(u.calls), String(u.errors), formatTokens(u.prompt_tokens), formatTokens(u.completion_tokens), formatCost(u.cost), `${Math.round(u.mean_latency_ms)} ms`])));
      out(`total: ${d.totals.calls} calls · ${formatTokens(d.totals.tokens)} tokens · ${formatCost(d.totals.cost)}`);
    }
    out("");
    out(`next: ${d.next}`);
  },
});

function duration(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
