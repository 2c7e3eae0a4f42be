/**
 * One persona-generation run, shared by `ppol personas` and `ppol simulate --program`: the program runs
 * in the sandbox once per task, personas are checked and stored as a `personas` run, with a progress line.
 */
import { randomUUID } from "node:crypto";
import { createLlm } from "../llm/index.ts";
import { generatePersonas, generatorLlm, type TaskContext, type TaskPersonas } from "../personas/index.ts";
import { createSandboxPool, sha256 } from "../python/index.ts";
import { createRun, savePersonaProgram, savePersonaTask, setRunStatus } from "../store/index.ts";
import type { CommandContext } from "./command.ts";
import { Progress } from "./progress.ts";
import { versionInfo } from "./version.ts";

export interface PersonaRunOptions {
  domain: string;
  tasks: TaskContext[];
  n: number;
  program: { code: string; filename: string; name: string };
  timeoutMs: number;
  concurrency: number;
  unsafe: boolean;
}

export async function runPersonaGeneration(ctx: CommandContext, o: PersonaRunOptions): Promise<{ runId: string; programSha: string; results: TaskPersonas[] }> {
  if (o.unsafe) ctx.io.err("ppol: warning: --unsafe-sandbox: the program runs WITHOUT OS confinement (recorded in the run)");
  const { config } = ctx.config();
  const store = ctx.store();
  const now = () => new Date();
  const programSha = sha256(new TextEncoder().encode(o.program.code));
  const runId = `personas-${randomUUID().slice(0, 8)}`;
  savePersonaProgram(store, { sha256: programSha, name: o.program.name, code: o.program.code, now: now() });
  createRun(store, {
    id: runId,
    kind: "personas",
    config: { domain: o.domain, tasks: o.tasks.map((t) => t.id), n: o.n, program: o.program.name, program_sha256: programSha, unsafe_sandbox: o.unsafe, timeout_ms: o.timeoutMs },
    seed: config.defaults.seed,
    version: versionInfo().ppol,
    now: now(),
  });
  const llm = createLlm({ config, store, runId, env: ctx.env });
  ctx.onExit(() => llm.close());
  const pool = createSandboxPool({ assets: ctx.pythonAssets, cacheRoot: ctx.cacheRoot, unsafe: o.unsafe, spares: Math.min(o.concurrency, o.tasks.length) });
  ctx.onExit(() => pool.close());

  const progress = new Progress({ label: "personas", total: o.tasks.length, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !ctx.values.json });
  let failed = 0;
  const results = await generatePersonas({
    pool,
    program: o.program,
    tasks: o.tasks,
    n: o.n,
    llm: generatorLlm(llm, { seed: config.defaults.seed }),
    limits: { timeoutMs: o.timeoutMs },
    concurrency: o.concurrency,
    onTask: (r) => {
      savePersonaTask(store, { runId, taskId: r.task_id, programSha, domain: o.domain, n: o.n, ok: r.ok, errorKind: r.error_kind, error: r.error, failures: r.failures, stdout: r.stdout, stderr: r.stderr, ms: r.ms, personas: r.personas }, now());
      if (!r.ok) failed++;
      progress.tick(1, `last ${r.task_id} ${r.ok ? "ok" : "FAILED"}${failed ? ` · ${failed} failed` : ""}`);
    },
  });
  progress.finish();
  setRunStatus(store, runId, results.every((r) => r.ok) ? "done" : "failed", now());
  return { runId, programSha, results };
}
