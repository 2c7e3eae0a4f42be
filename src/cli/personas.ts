import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { InputError, UsageError } from "../errors.ts";
import { createLlm } from "../llm/index.ts";
import { generatePersonas, generatorLlm, renderScenario, type TaskContext, type TaskPersonas } from "../personas/index.ts";
import { createSandboxPool, sha256 } from "../python/index.ts";
import { createRun, savePersonaProgram, savePersonaTask, setRunStatus } from "../store/index.ts";
import { checkDomainName, loadDomainDir, splitTasks } from "../tau2/load.ts";
import { Task } from "../tau2/schema.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { readProgram } from "./generator-check.ts";
import { UNSAFE_OPTION } from "./sandbox-run.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "personas",
  summary: "generate personas for τ² tasks with a generator program",
  usage: "ppol personas --domain D --tasks SPLIT|ID,… --n N [--program FILE|seed:ppol|seed:dp] [--out FILE.jsonl] [--tasks-file FILE.json]",
  description:
    "Runs the program (default: the PPol seed) in the sandbox once per task, its LLM calls going to the\n" +
    "generator role. Every persona is checked against the contract; failures are reported per persona.\n" +
    "Results go to the archive (a run of kind `personas`) and, with --out, to a JSONL file (one persona a line).\n" +
    "Tasks come from the τ² data (--tau2-data) or from --tasks-file (a τ² tasks.json-shaped file).\n" +
    "Exit 0 when every task got n valid personas, 1 otherwise.",
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
  },
  examples: ["ppol personas --domain retail --tasks train --n 5 --out personas.jsonl", "ppol personas --domain airline --tasks 0,1,2 --n 10 --program best.py"],
  async run(ctx) {
    const domain = str(ctx.values, "domain");
    if (!domain) throw new UsageError("personas: --domain is required", "e.g. --domain retail");
    const n = positiveInt(str(ctx.values, "n"), "n", 5, 50);
    const timeoutMs = positiveInt(str(ctx.values, "timeout-ms"), "timeout-ms", 300_000, 3_600_000);
    const concurrency = positiveInt(str(ctx.values, "concurrency"), "concurrency", 2, 32);
    const program = readProgram(str(ctx.values, "program") ?? "seed:ppol", ctx.cwd);
    const tasks = loadTasks(ctx, domain, str(ctx.values, "tasks"));
    const outPath = str(ctx.values, "out");
    const unsafe = ctx.values["unsafe-sandbox"] === true;
    if (unsafe) ctx.io.err("ppol: warning: --unsafe-sandbox: the program runs WITHOUT OS confinement (recorded in the run)");

    const { config } = ctx.config();
    const seed = config.defaults.seed;
    const store = ctx.store();
    const now = () => new Date();
    const programSha = sha256(new TextEncoder().encode(program.code));
    const runId = `personas-${randomUUID().slice(0, 8)}`;
    savePersonaProgram(store, { sha256: programSha, name: program.name, code: program.code, now: now() });
    createRun(store, {
      id: runId,
      kind: "personas",
      config: { domain, tasks: tasks.map((t) => t.id), n, program: program.name, program_sha256: programSha, unsafe_sandbox: unsafe, timeout_ms: timeoutMs },
      seed,
      version: versionInfo().ppol,
      now: now(),
    });
    const llm = createLlm({ config, store, runId });
    ctx.onExit(() => llm.close());
    const pool = createSandboxPool({ assets: ctx.pythonAssets, cacheRoot: ctx.cacheRoot, unsafe, spares: Math.min(concurrency, tasks.length) });
    ctx.onExit(() => pool.close());

    const progress = (done: number, total: number, last: TaskPersonas) => {
      if (!ctx.io.isTTY || ctx.values.json) return;
      const width = 24;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} tasks  last: ${last.task_id} ${last.ok ? "ok" : "FAILED"}   `);
      if (done === total) process.stderr.write("\n");
    };
    const results = await generatePersonas({
      pool,
      program,
      tasks,
      n,
      llm: generatorLlm(llm, { seed }),
      limits: { timeoutMs },
      concurrency,
      onTask: (r, done, total) => {
        savePersonaTask(store, { runId, taskId: r.task_id, programSha, domain, n, ok: r.ok, errorKind: r.error_kind, error: r.error, failures: r.failures, stdout: r.stdout, stderr: r.stderr, ms: r.ms, personas: r.personas }, now());
        progress(done, total, r);
      },
    });
    const okTasks = results.filter((r) => r.ok).length;
    setRunStatus(store, runId, okTasks === results.length ? "done" : "failed", now());
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
      ctx.io.out(`${runId}: ${okTasks}/${results.length} tasks with ${n} valid personas${outPath ? ` → ${outPath}` : ""}`);
    }
    return okTasks === results.length ? 0 : 1;
  },
});

function positiveInt(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1 || v > max) throw new UsageError(`personas: --${name} must be an integer from 1 to ${max} (got "${raw}")`);
  return v;
}

function loadTasks(ctx: { values: Record<string, unknown>; cwd: string; config(): { config: { defaults: { tau2_data: string } } } }, domain: string, selector: string | undefined): TaskContext[] {
  const file = str(ctx.values as never, "tasks-file");
  let all: Task[];
  let splits: Record<string, string[]> = {};
  if (file) {
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
    all = parsed.data;
  } else {
    const dir = ctx.config().config.defaults.tau2_data;
    if (!dir) throw new InputError("personas: no τ² data", "pass --tau2-data DIR (a folder holding retail/ and airline/) or --tasks-file FILE.json");
    const loaded = loadDomainDir(resolve(ctx.cwd, dir), checkDomainName(domain));
    all = [...loaded.tasks];
    splits = Object.fromEntries(Object.keys(loaded.splits).map((s) => [s, splitTasks(loaded, s).map((t) => t.id)]));
  }
  let chosen = all;
  if (selector && selector !== "all") {
    if (splits[selector]) chosen = all.filter((t) => splits[selector]!.includes(t.id));
    else {
      const ids = selector.split(",").map((s) => s.trim()).filter(Boolean);
      const known = new Set(all.map((t) => t.id));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) throw new InputError(`personas: unknown task id${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 5).join(", ")}`, Object.keys(splits).length ? `or use a split: ${Object.keys(splits).join(", ")}` : undefined);
      chosen = ids.map((id) => all.find((t) => t.id === id)!);
    }
  }
  if (!chosen.length) throw new InputError("personas: no tasks selected");
  return chosen.map((t) => ({ id: t.id, context: renderScenario(t.user_scenario.instructions, domain) }));
}
