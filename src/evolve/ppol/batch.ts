/**
 * One batch of a PPol evaluation, shared by training and validation: the program generates N personas
 * per task in the sandbox, each persona plays one τ² episode, and everything is stored in the
 * evaluation's own run. Program faults come back as {ok: false, error}; infrastructure trouble (LLM
 * budget, a server that stopped answering, a stop of the run) is thrown, so the engine redoes the
 * evaluation on resume.
 */
import { PpolError } from "../../errors.ts";
import { BudgetExhausted, type Llm } from "../../llm/index.ts";
import { generatePersonas, generatorLlm, type Persona, taskContextText } from "../../personas/index.ts";
import type { GeneratorLlm, SandboxPool } from "../../python/index.ts";
import { planEpisodes, simulate, type UserGuidelines } from "../../sim/index.ts";
import type { EpisodeRecord, Store } from "../../store/index.ts";
import type { Domain, Task, ToolSchema } from "../../tau2/index.ts";
import { runEpisodes, saveTaskPersonas } from "./archive.ts";

/** What every evaluation of a run shares. */
export interface BatchEnv {
  store: Store;
  llm: Llm;
  pool: SandboxPool;
  domain: Domain;
  tools: ToolSchema[];
  userGuidelines: UserGuidelines;
  agentTemperature: number;
  models: { agent: string; user: string };
  episodeConcurrency: number;
  generationConcurrency: number;
  sandboxTimeoutMs: number;
  now: () => Date;
}

export interface BatchRequest {
  /** The evaluation's run (personas and episodes go there). */
  episodesRunId: string;
  program: { code: string; sha256: string };
  tasks: readonly Task[];
  n: number;
  maxSteps: number;
  /** Seeds the generator's and the episodes' LLM calls. */
  seed: number;
  signal: AbortSignal;
}

export interface TaskBatch {
  task: Task;
  /** The generator's context c (also shown to the reflector). */
  context: string;
  personas: Persona[];
}

export type BatchResult = { ok: true; tasks: TaskBatch[]; episodes: EpisodeRecord[] } | { ok: false; error: string };

/** Characters of a failing program's stderr fed back to the mutator. */
const STDERR_TAIL = 1500;

export async function runBatch(env: BatchEnv, req: BatchRequest): Promise<BatchResult> {
  const contexts = req.tasks.map((t) => ({ id: t.id, context: taskContextText(t.user_scenario, env.domain.name) }));
  const infra = guarded(generatorLlm(env.llm, { seed: req.seed }));
  const generated = await generatePersonas({
    pool: killOnAbort(env.pool, req.signal),
    program: { code: req.program.code, filename: "program.py" },
    tasks: contexts,
    n: req.n,
    llm: infra.llm,
    limits: { timeoutMs: env.sandboxTimeoutMs },
    concurrency: env.generationConcurrency,
  });
  stopIfAborted(req.signal);
  // A generator that failed because the LLM layer did is not the program's fault.
  if (infra.error) throw infra.error;
  for (const r of generated) saveTaskPersonas(env.store, req.episodesRunId, req.program.sha256, env.domain.name, req.n, r, env.now());

  const usable = generated.filter((r) => r.ok);
  if (!usable.length) {
    const first = generated[0]!;
    const why = first.error ?? first.failures[0]?.error ?? "no usable personas";
    const stderr = first.stderr.trim() ? `\nstderr (last ${STDERR_TAIL} characters):\n${first.stderr.trim().slice(-STDERR_TAIL)}` : "";
    return { ok: false, error: `the program produced no usable personas for any of the ${generated.length} tasks; first task: ${first.error_kind ?? "invalid personas"}: ${why}${stderr}` };
  }

  const byId = new Map(req.tasks.map((t) => [t.id, t]));
  const personas = new Map(usable.map((r) => [r.task_id, r.personas.map((p, i) => ({ key: `p${i}`, text: p.expanded_instruction }))]));
  const plan = planEpisodes({ runId: req.episodesRunId, taskIds: usable.map((r) => r.task_id), personas, trials: 1, seed: req.seed });
  const result = await simulate({
    store: env.store,
    llm: env.llm,
    runId: req.episodesRunId,
    domain: env.domain,
    tools: env.tools,
    userGuidelines: env.userGuidelines,
    agentTemperature: env.agentTemperature,
    plan,
    done: new Set(),
    maxSteps: req.maxSteps,
    concurrency: env.episodeConcurrency,
    models: env.models,
    signal: req.signal,
    now: env.now,
  });
  stopIfAborted(req.signal);
  if (result.budget) throw new BudgetExhausted(result.budget);
  if (result.abandoned) throw new PpolError(result.abandoned, "check the server with `ppol doctor`, then resume the run");
  const episodes = runEpisodes(env.store, req.episodesRunId);
  const broken = episodes.filter((e) => e.termination === "infrastructure_error");
  // Scoring without them would make the result depend on the server's mood: redo the evaluation instead.
  if (broken.length) throw new PpolError(`${broken.length} of ${episodes.length} episodes failed on the LLM server: ${broken[0]!.error ?? "unknown error"}`, "check the server with `ppol doctor`, then resume the run");
  const contextOf = new Map(contexts.map((c) => [c.id, c.context]));
  return { ok: true, tasks: usable.map((r) => ({ task: byId.get(r.task_id)!, context: contextOf.get(r.task_id)!, personas: r.personas })), episodes };
}

/** The pool, with every process it hands out killed when the evaluation stops (timeout, Ctrl-C). */
function killOnAbort(pool: SandboxPool, signal: AbortSignal): SandboxPool {
  return {
    unsafe: pool.unsafe,
    warm: () => pool.warm(),
    close: async () => {},
    async acquire() {
      const p = await pool.acquire();
      if (signal.aborted) p.kill();
      else signal.addEventListener("abort", () => p.kill(), { once: true });
      return p;
    },
  };
}

function stopIfAborted(signal: AbortSignal) {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("evaluation stopped");
}

/** The generator's LLM, remembering the first failure of the LLM layer itself (budget, server). */
function guarded(inner: GeneratorLlm): { llm: GeneratorLlm; readonly error: Error | undefined } {
  let error: Error | undefined;
  return {
    get error() {
      return error;
    },
    llm: {
      async chat(request) {
        try {
          return await inner.chat(request);
        } catch (e) {
          if (e instanceof PpolError) error ??= e;
          throw e;
        }
      },
    },
  };
}
