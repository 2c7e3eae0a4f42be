/**
 * A persona-generation run, the stage entry point behind `ppol personas` and the persona phase of
 * `ppol simulate --program`: the program runs in the sandbox once per task, each task's outcome and its
 * personas are stored the moment it finishes, and the run records everything needed to resume it (the
 * program by hash, every task's context c). Ctrl-C (deps.signal) stops starting tasks; the run is marked
 * interrupted and `resumePersonaRun` generates only the tasks that have no stored outcome.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import type { Llm } from "../llm/index.ts";
import type { SandboxPool } from "../python/index.ts";
import { createRun, getRun, listPersonas, personaTaskOutcomes, savePersonaProgram, savePersonaTask, setRunStatus, type RunStatus, type Store } from "../store/index.ts";
import { generatePersonas, type TaskContext, type TaskPersonas } from "./generate.ts";
import { generatorLlm } from "./llm.ts";
import type { Program } from "./program.ts";

/** What a personas run stores as its config: enough to resume it without the original files. */
export const PersonaRunConfig = z.object({
  domain: z.string(),
  tasks: z.array(z.object({ id: z.string(), context: z.string() })),
  n: z.int().positive(),
  program: z.string(),
  program_sha256: z.string(),
  unsafe_sandbox: z.boolean(),
  timeout_ms: z.int().positive(),
  concurrency: z.int().positive().default(2),
});
export type PersonaRunConfig = z.infer<typeof PersonaRunConfig>;

export interface PersonaRunDeps {
  store: Store;
  /** The LLM client of this run (generator role), made by the caller, who closes it. */
  llm: (runId: string) => Llm;
  /** The sandbox pool (the caller creates it for the run's unsafe setting and closes it). */
  pool: (unsafe: boolean, spares: number) => SandboxPool;
  seed: number;
  version: string;
  signal?: AbortSignal;
  now?: () => Date;
  /** The run that makes this one (a benchmark): the new run is listed under it. */
  parent?: string;
  onTask?: (result: TaskPersonas, done: number, total: number) => void;
}

export interface PersonaRunInput {
  domain: string;
  tasks: TaskContext[];
  n: number;
  program: Program;
  timeoutMs: number;
  concurrency: number;
  unsafe: boolean;
}

export interface PersonaRunResult {
  runId: string;
  domain: string;
  programSha: string;
  status: RunStatus;
  /** Every task of the run in plan order, including those stored before a resume (stdout/stderr empty then). */
  results: TaskPersonas[];
  /** Tasks generated in this session. */
  ran: number;
}

export async function startPersonaRun(deps: PersonaRunDeps, input: PersonaRunInput): Promise<PersonaRunResult> {
  const { runId, config, program } = createPersonaRun(deps, input);
  return execute(deps, runId, config, program);
}

/** Store the program and a new personas run (nothing generated yet); `resumePersonaRun` generates. */
export function createPersonaRun(deps: Pick<PersonaRunDeps, "store" | "seed" | "version" | "now" | "parent">, input: PersonaRunInput): { runId: string; config: PersonaRunConfig; program: { code: string; filename: string } } {
  const now = deps.now ?? (() => new Date());
  const programSha = sha256(input.program.code);
  const runId = `personas-${randomUUID().slice(0, 8)}`;
  const config: PersonaRunConfig = {
    domain: input.domain,
    tasks: input.tasks,
    n: input.n,
    program: input.program.name,
    program_sha256: programSha,
    unsafe_sandbox: input.unsafe,
    timeout_ms: input.timeoutMs,
    concurrency: input.concurrency,
  };
  savePersonaProgram(deps.store, { sha256: programSha, name: input.program.name, code: input.program.code, now: now() });
  createRun(deps.store, { id: runId, kind: "personas", config, seed: deps.seed, version: deps.version, now: now(), ...(deps.parent ? { parent: deps.parent } : {}) });
  return { runId, config, program: { code: input.program.code, filename: input.program.filename } };
}

export async function resumePersonaRun(deps: PersonaRunDeps, runId: string): Promise<PersonaRunResult> {
  const run = getRun(deps.store, runId);
  if (!run || run.kind !== "personas") throw new InputError(`--resume ${runId}: no personas run with that id in ${deps.store.path}`, "list them with `ppol runs --kind personas`");
  if (run.status === "done" || run.status === "failed") throw new InputError(`--resume ${runId}: that run is finished (${run.status})`, "start a new one, or read it with `ppol run show`");
  const parsed = PersonaRunConfig.safeParse(JSON.parse(run.config_json));
  if (!parsed.success) throw new InputError(`--resume ${runId}: the run was stored by an older ppol without its task contexts`, "start a new personas run");
  const config = parsed.data;
  const program = deps.store.db.query("SELECT code FROM persona_programs WHERE sha256 = ?").get(config.program_sha256) as { code: string } | null;
  if (!program) throw new InputError(`--resume ${runId}: its program ${config.program_sha256.slice(0, 12)} is not in the archive`, "start a new personas run");
  if (run.status !== "running") setRunStatus(deps.store, runId, "running", (deps.now ?? (() => new Date()))(), "resumed");
  return execute(deps, runId, config, { code: program.code, filename: config.program.split("/").pop() ?? "program.py" });
}

async function execute(deps: PersonaRunDeps, runId: string, config: PersonaRunConfig, program: { code: string; filename: string }): Promise<PersonaRunResult> {
  const now = deps.now ?? (() => new Date());
  const stored = storedResults(deps.store, runId);
  const todo = config.tasks.filter((t) => !stored.has(t.id));
  const llm = deps.llm(runId);
  const fresh = new Map<string, TaskPersonas>();
  if (todo.length) {
    const pool = deps.pool(config.unsafe_sandbox, Math.min(config.concurrency, todo.length));
    await generatePersonas({
      pool,
      program,
      tasks: todo,
      n: config.n,
      llm: generatorLlm(llm, { seed: deps.seed }),
      limits: { timeoutMs: config.timeout_ms },
      concurrency: config.concurrency,
      signal: deps.signal,
      onTask: (r, done, total) => {
        savePersonaTask(deps.store, { runId, taskId: r.task_id, programSha: config.program_sha256, domain: config.domain, n: config.n, ok: r.ok, errorKind: r.error_kind, error: r.error, failures: r.failures, stdout: r.stdout, stderr: r.stderr, ms: r.ms, personas: r.personas }, now());
        fresh.set(r.task_id, r);
        deps.onTask?.(r, config.tasks.length - todo.length + done, config.tasks.length);
      },
    });
  }
  const results = config.tasks.flatMap((t) => {
    const r = fresh.get(t.id) ?? stored.get(t.id);
    return r ? [r] : [];
  });
  const status: RunStatus = results.length < config.tasks.length ? "interrupted" : results.every((r) => r.ok) ? "done" : "failed";
  setRunStatus(deps.store, runId, status, now(), status === "interrupted" ? "stopped before every task was generated" : undefined);
  return { runId, domain: config.domain, programSha: config.program_sha256, status, results, ran: fresh.size };
}

/** Outcomes already in the archive (a resumed run skips these tasks). */
function storedResults(store: Store, runId: string): Map<string, TaskPersonas> {
  const personas = listPersonas(store, runId);
  return new Map(
    personaTaskOutcomes(store, runId).map((o) => [
      o.task_id,
      {
        task_id: o.task_id,
        ok: o.ok === 1,
        personas: personas.filter((p) => p.task_id === o.task_id).map((p) => ({ persona_id: p.persona_id, description: p.description, axis_placement: JSON.parse(p.axis_placement_json), reasoning: p.reasoning, expanded_instruction: p.expanded_instruction, warnings: JSON.parse(p.warnings_json) })),
        failures: JSON.parse(o.failures_json),
        error_kind: o.error_kind as TaskPersonas["error_kind"],
        error: o.error,
        stdout: "",
        stderr: "",
        ms: 0,
      },
    ]),
  );
}
