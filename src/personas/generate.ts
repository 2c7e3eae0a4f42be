/**
 * Run a generator program on tasks: each task gets a fresh sandbox process (the program plus the host
 * plumbing), its output is checked against the contract persona by persona. Pure of I/O except the
 * pool and the LLM passed in.
 */
import { runPool } from "../pool.ts";
import { runProgram, type GeneratorLlm, type Limits, type Outcome, type SandboxPool } from "../python/index.ts";
import { renderScenario, type UserScenario } from "../tau2/index.ts";
import { Axes, checkPersonas, GeneratorOutput, type Persona, type PersonaFailure } from "./contract.ts";
import PLUMBING from "./plumbing.py" with { type: "text" };

export { PLUMBING };

export interface TaskContext {
  id: string;
  /** The generator's context c (see taskContextText). */
  context: string;
}

export interface TaskPersonas {
  task_id: string;
  /** n personas returned and at least one kept (see checkPersonas). */
  ok: boolean;
  personas: Persona[];
  failures: PersonaFailure[];
  /** Sandbox verdict when the program failed as a whole (else null). */
  error_kind: Outcome["error_kind"];
  error: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Characters of the rendered scenario a generator sees, as the reference cuts it. */
export const CONTEXT_MAX_CHARS = 4000;

/**
 * The context c a generator receives, built as the reference builds it: the user scenario rendered as τ²
 * renders it, cut at 4,000 characters (code points, as Python slices), a blank line, `Context: domain=D`.
 */
export function taskContextText(scenario: UserScenario, domain: string): string {
  const text = renderScenario(scenario);
  const points = text.length > CONTEXT_MAX_CHARS ? Array.from(text) : undefined;
  const cut = points && points.length > CONTEXT_MAX_CHARS ? points.slice(0, CONTEXT_MAX_CHARS).join("") : text;
  return `${cut}\n\nContext: domain=${domain}`;
}

export interface GenerateOptions {
  pool: SandboxPool;
  program: { code: string; filename: string };
  tasks: readonly TaskContext[];
  n: number;
  llm?: GeneratorLlm;
  limits?: Partial<Limits>;
  /** Tasks in flight at once (each in its own process). */
  concurrency?: number;
  /** Once aborted, no new task starts (tasks in flight finish); their results are missing from the list. */
  signal?: AbortSignal;
  onTask?(result: TaskPersonas, done: number, total: number): void;
}

/** Results of the tasks that ran, in task order (all of them unless the signal stopped the run). */
export async function generatePersonas(options: GenerateOptions): Promise<TaskPersonas[]> {
  const results: (TaskPersonas | undefined)[] = new Array(options.tasks.length);
  let done = 0;
  await runPool(
    options.tasks,
    options.concurrency ?? 2,
    async (task, i) => {
      results[i] = await generateForTask(options, task);
      options.onTask?.(results[i]!, ++done, options.tasks.length);
    },
    options.signal,
  );
  return results.filter((r): r is TaskPersonas => r !== undefined);
}

async function generateForTask(options: GenerateOptions, task: TaskContext): Promise<TaskPersonas> {
  const outcome = await runProgram(options.pool, {
    code: options.program.code,
    filename: options.program.filename,
    prelude: PLUMBING,
    call: { name: "_ppol_generate", args: [task.context, options.n] },
    limits: { timeoutMs: 300_000, ...options.limits },
    llm: options.llm,
  });
  const base = { task_id: task.id, stdout: outcome.stdout, stderr: outcome.stderr, ms: outcome.ms };
  if (!outcome.ok) return { ...base, ok: false, personas: [], failures: [], error_kind: outcome.error_kind, error: outcome.error };
  const output = GeneratorOutput.safeParse(outcome.result);
  if (!output.success) return { ...base, ok: false, personas: [], failures: [], error_kind: "invalid_output", error: "generator output is not {axes, personas}" };
  const axes = Axes.safeParse(output.data.axes);
  if (!axes.success)
    return { ...base, ok: false, personas: [], failures: [], error_kind: "invalid_output", error: `DIVERSITY_AXES: ${axes.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
  const checked = checkPersonas(output.data.personas, options.n, axes.data);
  const list = output.data.personas;
  const error = checked.ok ? null : !Array.isArray(list) ? checked.failures[0]!.error : list.length < options.n ? `${list.length} personas returned, ${options.n} asked for` : "no persona with an instruction";
  return { ...base, ok: checked.ok, personas: checked.personas, failures: checked.failures, error_kind: checked.ok ? null : "invalid_output", error };
}
