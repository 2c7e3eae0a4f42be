import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { InputError, UsageError } from "../errors.ts";
import { SUITES, taskContextText, type TaskContext } from "../personas/index.ts";
import { Task } from "../tau2/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str, type CommandContext } from "./command.ts";
import { readProgram } from "./generator-check.ts";
import { runPersonaGeneration } from "./persona-run.ts";
import { UNSAFE_OPTION } from "./sandbox-run.ts";
import { domainFromContext, selectTasks } from "./tau2-args.ts";

export default defineCommand({
  name: "personas",
  summary: "generate personas for τ² tasks with a generator program",
  usage: "ppol personas --domain D --tasks SPLIT|ID,… --n N [--program FILE|seed:ppol|seed:dp] [--out FILE.jsonl] [--tasks-file FILE.json]",
  description:
    "Runs the program (default: the PPol seed) in the sandbox once per task, its LLM calls going to the\n" +
    "generator role; the program's context c is the task's user scenario as τ² renders it (cut at 4,000\n" +
    "characters) plus `Context: domain=D`, as the PPol reference builds it. As in the reference, a task fails\n" +
    "when the program returns fewer than n personas, and a persona without an instruction is dropped (and\n" +
    "counted); ppol's other checks (word counts, missing description, …) are warnings stored with the persona.\n" +
    "Results go to the archive (a run of kind `personas`) and, with --out, to a JSONL file (one persona a line).\n" +
    "Tasks come from the τ² data (--tau2-data) or from --tasks-file (a τ² tasks.json-shaped file).\n" +
    "Exit 0 when every task succeeded, 1 otherwise.",
  options: {
    ...JSON_OPTION,
    domain: { type: "string", valueName: "NAME", description: "τ² domain: retail or airline (required)" },
    tasks: { type: "string", valueName: "SPLIT|IDS", description: "a split name (train, test, base) or comma-separated task ids (default: all)" },
    n: { type: "string", valueName: "N", description: "personas per task (default 5)" },
    program: { type: "string", valueName: "FILE", description: "generator program: a .py file, seed:ppol (default) or seed:dp" },
    out: { type: "string", valueName: "FILE.jsonl", description: "also write the personas here, one JSON object a line" },
    "tasks-file": { type: "string", valueName: "FILE.json", description: "tasks from this file instead of the τ² data directory" },
    "timeout-ms": { type: "string", valueName: "N", description: "wall-clock limit per task (default 300000)" },
    concurrency: { type: "string", valueName: "N", description: "tasks generated at once (default 2)" },
    ...UNSAFE_OPTION,
    suites: { type: "boolean", description: "list the shipped out-of-distribution persona suites (run one with --personas suite:NAME) and exit" },
  },
  examples: ["ppol personas --domain retail --tasks train --n 5 --out personas.jsonl", "ppol personas --domain airline --tasks 0,1,2 --n 10 --program best.py", "ppol personas --suites"],
  async run(ctx) {
    if (ctx.values.suites) return listSuites(ctx);
    const domain = str(ctx.values, "domain");
    if (!domain) throw new UsageError("personas: --domain is required", "e.g. --domain retail");
    const n = intFlag(ctx.values, "n", { fallback: 5, max: 50 });
    const timeoutMs = intFlag(ctx.values, "timeout-ms", { fallback: 300_000, max: 3_600_000 });
    const concurrency = intFlag(ctx.values, "concurrency", { fallback: 2, max: 32 });
    const program = readProgram(str(ctx.values, "program") ?? "seed:ppol", ctx.cwd);
    const tasks = loadTasks(ctx, domain, str(ctx.values, "tasks"));
    const outPath = str(ctx.values, "out");
    const unsafe = ctx.values["unsafe-sandbox"] === true;

    const { runId, programSha, results } = await runPersonaGeneration(ctx, { domain, tasks, n, program, timeoutMs, concurrency, unsafe });
    const okTasks = results.filter((r) => r.ok).length;
    if (outPath) {
      const lines = results.flatMap((r) => r.personas.map((p) => JSON.stringify({ run_id: runId, domain, task_id: r.task_id, program_sha256: programSha, ...p })));
      writeFileSync(resolve(ctx.cwd, outPath), lines.length ? `${lines.join("\n")}\n` : "");
    }
    if (ctx.values.json) {
      ctx.io.out(JSON.stringify({ run_id: runId, ok: okTasks === results.length, tasks: results.map(({ stdout: _o, stderr: _e, ...r }) => r) }));
    } else {
      for (const r of results.filter((x) => !x.ok)) {
        ctx.io.out(`${r.task_id}: ${r.error_kind}: ${(r.error ?? "").split("\n")[0]}`);
        for (const f of r.failures) ctx.io.out(`  persona ${f.persona_id ?? (f.index === null ? "(all)" : `#${f.index}`)}: ${f.error}`);
      }
      const kept = results.reduce((s, r) => s + r.personas.length, 0);
      const dropped = results.reduce((s, r) => s + r.failures.filter((f) => f.index !== null).length, 0);
      const warned = results.reduce((s, r) => s + r.personas.filter((p) => p.warnings.length).length, 0);
      ctx.io.out(`${runId}: ${okTasks}/${results.length} tasks ok · ${kept} personas kept, ${dropped} dropped, ${warned} with warnings${outPath ? ` → ${outPath}` : ""}`);
    }
    return okTasks === results.length ? 0 : 1;
  },
});

function listSuites(ctx: CommandContext): number {
  const suites = [...SUITES.values()];
  if (ctx.values.json) ctx.io.out(JSON.stringify(suites));
  else for (const s of suites) ctx.io.out(`suite:${s.name}  ${s.personas.length} personas  ${s.title}: ${s.description}\n  ${s.personas.map((p) => p.persona_id).join(", ")}`);
  return 0;
}

function loadTasks(ctx: CommandContext, domain: string, selector: string | undefined): TaskContext[] {
  const file = str(ctx.values, "tasks-file");
  const toContext = (t: Task) => ({ id: t.id, context: taskContextText(t.user_scenario, domain) });
  if (!file) {
    const loaded = domainFromContext(ctx, domain);
    const tasks = selectTasks(loaded, { tasks: selector && selector !== "all" ? selector : "base" });
    return tasks.map(toContext);
  }
  const path = resolve(ctx.cwd, file);
  if (!existsSync(path)) throw new InputError(`${file}: no such file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message.split("\n")[0]})`);
  }
  const parsed = z.array(Task).safeParse(Array.isArray(raw) ? raw : (raw as { tasks?: unknown })?.tasks);
  if (!parsed.success) throw new InputError(`${file}: not a list of τ² tasks (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`);
  let chosen = parsed.data;
  if (selector && selector !== "all") {
    const ids = selector.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !chosen.some((t) => t.id === id));
    if (unknown.length) throw new InputError(`personas: unknown task id${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 5).join(", ")} in ${file}`);
    chosen = ids.map((id) => parsed.data.find((t) => t.id === id)!);
  }
  if (!chosen.length) throw new InputError(`personas: no tasks in ${file}`);
  return chosen.map(toContext);
}
