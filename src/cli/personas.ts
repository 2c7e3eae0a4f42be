import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { InputError, UsageError } from "../errors.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { loadProgram, type PersonaRunResult, resumePersonaRun, startPersonaRun, SUITES, taskContextText, type TaskContext } from "../personas/index.ts";
import { Task } from "../tau2/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str, UNSAFE_OPTION, type CommandContext } from "./command.ts";
import { Progress } from "./progress.ts";
import { personaRunDeps } from "./stage-deps.ts";
import { domainFromContext, selectTasks } from "./tau2-args.ts";

export default defineCommand({
  name: "personas",
  summary: "generate personas for τ² tasks with a generator program",
  usage: "ppol personas --domain D --tasks SPLIT|ID,… --n N [--program FILE|seed:ppol|seed:dp] [--out FILE.jsonl] [--tasks-file FILE.json] | --resume RUN",
  description:
    "Runs the program (default: the PPol seed) in the sandbox once per task, its LLM calls going to the\n" +
    "generator role; the program's context c is the task's user scenario as τ² renders it (cut at 4,000\n" +
    "characters) plus `Context: domain=D`, as the PPol reference builds it. As in the reference, a task fails\n" +
    "when the program returns fewer than n personas, and a persona without an instruction is dropped (and\n" +
    "counted); ppol's other checks (word counts, missing description, …) are warnings stored with the persona.\n" +
    "Results go to the archive (a run of kind `personas`) and, with --out, to a JSONL file (one persona a line).\n" +
    "Tasks come from the τ² data (--tau2-data) or from --tasks-file (a τ² tasks.json-shaped file).\n" +
    "Ctrl-C stops starting tasks: the run is marked interrupted and `--resume RUN` generates the rest.\n" +
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
    resume: { type: "string", valueName: "RUN", description: "generate the tasks an interrupted personas run has not finished" },
  },
  examples: ["ppol personas --domain retail --tasks train --n 5 --out personas.jsonl", "ppol personas --domain airline --tasks 0,1,2 --n 10 --program best.py", "ppol personas --resume personas-1a2b3c4d", "ppol personas --suites"],
  async run(ctx) {
    if (ctx.values.suites) return listSuites(ctx);
    const json = ctx.values.json === true;
    let progress: Progress | undefined;
    const deps = personaRunDeps(ctx, (r, done, total) => {
      progress ??= new Progress({ label: "personas", total, alreadyDone: done - 1, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !json });
      progress.tick(1, `last ${r.task_id} ${r.ok ? "ok" : "FAILED"}`);
    });
    const resume = str(ctx.values, "resume");
    let result: PersonaRunResult;
    if (resume) {
      for (const flag of ["domain", "tasks", "tasks-file", "n", "program", "timeout-ms", "concurrency", "unsafe-sandbox"])
        if (ctx.values[flag] !== undefined) throw new UsageError(`--resume keeps the run's plan: drop --${flag}`);
      result = await resumePersonaRun(deps, resume);
    } else {
      const domain = str(ctx.values, "domain");
      if (!domain) throw new UsageError("personas: --domain is required", "e.g. --domain retail");
      result = await startPersonaRun(deps, {
        domain,
        tasks: loadTasks(ctx, domain, str(ctx.values, "tasks")),
        n: intFlag(ctx.values, "n", { fallback: 5, max: 50 }),
        program: loadProgram(str(ctx.values, "program") ?? "seed:ppol", ctx.cwd),
        timeoutMs: intFlag(ctx.values, "timeout-ms", { fallback: 300_000, max: 3_600_000 }),
        concurrency: intFlag(ctx.values, "concurrency", { fallback: 2, max: 32 }),
        unsafe: ctx.values["unsafe-sandbox"] === true,
      });
    }
    progress?.finish();
    const { runId, programSha, results } = result;
    const okTasks = results.filter((r) => r.ok).length;
    const outPath = str(ctx.values, "out");
    if (outPath) {
      const lines = results.flatMap((r) => r.personas.map((p) => JSON.stringify({ run_id: runId, domain: result.domain, task_id: r.task_id, program_sha256: programSha, ...p })));
      writeFileAtomic(resolvePath(ctx.cwd, outPath), lines.length ? `${lines.join("\n")}\n` : "");
    }
    if (json) {
      ctx.io.out(JSON.stringify({ run_id: runId, status: result.status, ok: result.status === "done", tasks: results.map(({ stdout: _o, stderr: _e, ...r }) => r) }));
    } else {
      for (const r of results.filter((x) => !x.ok)) {
        ctx.io.out(`${r.task_id}: ${r.error_kind}: ${(r.error ?? "").split("\n")[0]}`);
        for (const f of r.failures) ctx.io.out(`  persona ${f.persona_id ?? (f.index === null ? "(all)" : `#${f.index}`)}: ${f.error}`);
      }
      const kept = results.reduce((s, r) => s + r.personas.length, 0);
      const dropped = results.reduce((s, r) => s + r.failures.filter((f) => f.index !== null).length, 0);
      const warned = results.reduce((s, r) => s + r.personas.filter((p) => p.warnings.length).length, 0);
      const stopped = result.status === "interrupted" ? ` — INTERRUPTED (continue with \`ppol personas --resume ${runId}\`)` : "";
      ctx.io.out(`${runId}: ${okTasks}/${results.length} tasks ok · ${kept} personas kept, ${dropped} dropped, ${warned} with warnings${outPath ? ` → ${outPath}` : ""}${stopped}`);
    }
    return result.status === "done" ? 0 : 1;
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
  const path = resolvePath(ctx.cwd, file);
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
