import { UsageError } from "../errors.ts";
import { listRunItems } from "../report/index.ts";
import { RUN_KINDS, RUN_STATUSES, type RunKind, type RunStatus } from "../store/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str } from "./command.ts";
import { formatCost, formatTokens, table } from "./format.ts";

export default defineCommand({
  name: "runs",
  summary: "list the archive's runs: kind, status, episodes, tokens, cost and a one-line summary",
  usage: "ppol runs [--kind K] [--status S] [--limit N] [--json]",
  description: `Oldest first. Kinds: ${RUN_KINDS.join(", ")}. Statuses: ${RUN_STATUSES.join(", ")}. Cost uses [llm.prices] from the config. \`ppol run show ID\` tells everything about one run.`,
  options: {
    kind: { type: "string", valueName: "K", description: `only runs of this kind (${RUN_KINDS.join(", ")})` },
    status: { type: "string", valueName: "S", description: `only runs in this status (${RUN_STATUSES.join(", ")})` },
    limit: { type: "string", valueName: "N", description: "only the N newest" },
    all: { type: "boolean", description: "also list the runs other runs made (an evolve run's evaluations, a benchmark's conditions)" },
    ...JSON_OPTION,
  },
  examples: ["ppol runs", "ppol runs --kind simulate --status interrupted", "ppol --db shared.sqlite runs --json"],
  run(ctx) {
    const kind = oneOf(str(ctx.values, "kind"), RUN_KINDS, "kind") as RunKind | undefined;
    const status = oneOf(str(ctx.values, "status"), RUN_STATUSES, "status") as RunStatus | undefined;
    const limit = ctx.values.limit === undefined ? undefined : intFlag(ctx.values, "limit", { fallback: 20 });
    const items = listRunItems(ctx.store(), { ...(kind ? { kind } : {}), ...(status ? { status } : {}), ...(limit ? { limit } : {}), all: ctx.values.all === true }, ctx.config().config.llm.prices);
    if (ctx.values.json) return void ctx.io.out(JSON.stringify(items, null, 2));
    if (items.length === 0) return void ctx.io.out(kind || status ? "no runs match" : "no runs yet: start one with `ppol simulate` or `ppol personas`");
    ctx.io.out(
      table(
        ["id", "kind", "status", "created", "episodes", "tokens", "cost", "summary"],
        items.map((r) => [r.id, r.kind, r.status, r.created_at.slice(0, 16).replace("T", " "), String(r.episodes), formatTokens(r.tokens), formatCost(r.cost), r.summary + (r.sub_runs ? ` (+${r.sub_runs} runs)` : "")]),
      ),
    );
  },
});

function oneOf(value: string | undefined, allowed: readonly string[], flag: string): string | undefined {
  if (value === undefined || allowed.includes(value)) return value;
  throw new UsageError(`--${flag} ${value}: unknown ${flag}`, `use one of: ${allowed.join(", ")}`);
}
