import { UsageError } from "../errors.ts";
import { exportTau2Tasks } from "../report/index.ts";
import { resolvePath } from "../files.ts";
import { resolvePersonas } from "../sim/index.ts";
import { defineCommand, str } from "./command.ts";
import { domainFromContext, domainTextsFromContext, selectTasks } from "./tau2-args.ts";

export default defineCommand({
  name: "export tau2-tasks",
  summary: "write a τ² domain folder whose tasks are repeated once per persona (for upstream τ²-bench)",
  usage: "ppol export tau2-tasks --domain D --personas RUN|FILE|suite:NAME [--split S | --tasks IDS] --out DIR",
  description:
    "Each selected task is repeated once per persona: the persona policy goes into user_scenario.persona, the id\n" +
    "gets -p<k> (k = the persona's position for that task), every other field is kept as it is in tasks.json.\n" +
    "DIR/<domain>/ receives tasks.json, split_tasks.json (the original splits, expanded ids) and unchanged copies\n" +
    "of db.json and policy.md: run it with `ppol simulate --tau2-data DIR`, or use the folder as upstream\n" +
    "τ²-bench's data/tau2/domains/<domain>. Tasks without personas are left out (and named).",
  options: {
    domain: { type: "string", valueName: "D", description: "retail or airline" },
    personas: { type: "string", valueName: "RUN|FILE|suite:NAME", description: "a personas run, a personas JSONL file, or a shipped suite" },
    split: { type: "string", valueName: "S", description: "task split (default test)" },
    tasks: { type: "string", valueName: "IDS", description: "comma-separated task ids (instead of --split)" },
    out: { type: "string", valueName: "DIR", description: "output folder (created; its parent must exist)" },
  },
  examples: [
    "ppol export tau2-tasks --domain airline --split test --personas pers-20261201-ab12cd34 --out tau2-ppol",
    "ppol export tau2-tasks --domain retail --tasks 0,1,2 --personas suite:skeptical --out ood-skeptical",
  ],
  run(ctx) {
    const [name, spec, out] = [str(ctx.values, "domain"), str(ctx.values, "personas"), str(ctx.values, "out")];
    if (!spec || !out) throw new UsageError("export tau2-tasks: --personas and --out are required", "e.g. --personas suite:impatient --out tau2-ppol");
    const domain = domainFromContext(ctx, name);
    const taskIds = selectTasks(domain, { split: str(ctx.values, "split"), tasks: str(ctx.values, "tasks") }).map((t) => t.id);
    const { files, source } = domainTextsFromContext(ctx, domain.name);
    const r = exportTau2Tasks({ domain: domain.name, source, files, taskIds, personas: resolvePersonas(spec, ctx.store(), ctx.cwd).byTask, outDir: resolvePath(ctx.cwd, out) });
    if (r.skipped.length) ctx.io.err(`ppol: warning: ${r.skipped.length} task(s) without personas left out: ${r.skipped.slice(0, 10).join(", ")}${r.skipped.length > 10 ? ", …" : ""}`);
    ctx.io.out(`wrote ${r.tasks} persona tasks (${r.exportedFrom} ${domain.name} tasks × their personas) to ${r.dir}/ (tasks.json, split_tasks.json, db.json, policy.md)`);
  },
});
