/**
 * A simulate run, the stage entry point behind `ppol simulate` (and the engine's and server's way to run
 * episodes as a run): plan → create → execute, or resume. The plan is stored with the run; every episode
 * is stored the moment it ends; Ctrl-C, a spent budget or a dead model server stop the run cleanly
 * (interrupted / failed) and `resumeRun` does exactly what is missing. With `--program`, personas are
 * generated first as their own personas run, which a resume finishes before any episode starts.
 */
import { randomUUID } from "node:crypto";
import { type Config, roleConfig } from "../config/index.ts";
import { InputError } from "../errors.ts";
import type { Llm } from "../llm/index.ts";
import { createPersonaRun, type PersonaRunDeps, type PersonaRunResult, type Program, resumePersonaRun, taskContextText } from "../personas/index.ts";
import { createRun, type EpisodeRecord, finishedEpisodeIds, getRun, listEpisodeSummaries, personaTaskOutcomes, type RunStatus, setRunParent, setRunStatus, type Store } from "../store/index.ts";
import type { Domain } from "../tau2/index.ts";
import { llmJudge } from "./judge.ts";
import { planPersonas, personasFor, resolvePersonas } from "./personas-source.ts";
import { planEpisodes, type PlannedEpisode } from "./plan.ts";
import { newPlan, RunPlan, runGuidelines, runTools, type ToolSchemaChoice } from "./run-plan.ts";
import { simulate } from "./simulate.ts";
import { type EpisodeSummaryInput, type RunSummary, summarize } from "./summary.ts";

export interface SimRunDeps {
  store: Store;
  /** Roles (models, the agent's temperature) and defaults (seed, concurrency). */
  config: Config;
  /** Where each config value came from (stored with the run, for `ppol run show`). */
  configSources?: Record<string, string>;
  /** The run's LLM client for this config (the caller sets budgets and the cache mode, and closes it). */
  llm: (runId: string, config: Config) => Llm;
  /** A τ² domain by name, from the data folder or the archive. */
  domain: (name: string) => Domain;
  /** Where a personas file named by a plan of an older version is looked up. */
  cwd: string;
  version: string;
  /** Episodes in flight (default config.defaults.concurrency). */
  concurrency?: number;
  signal?: AbortSignal;
  now?: () => Date;
  /** For `--program`: the sandbox pool and per-task progress of the persona phase. */
  personas?: Pick<PersonaRunDeps, "pool" | "onTask">;
  /** The run that makes this one (a benchmark): the new run is listed under it. */
  parent?: string;
  /** Called with the new run's id as soon as it is stored (before any episode runs). */
  onCreated?: (runId: string) => void;
  /** Called once the episodes are planned: how many in all and how many already stored (a resume). */
  onPlanned?: (p: { planned: number; done: number }) => void;
  onEpisode?: (record: EpisodeRecord, summary: RunSummary) => void;
}

export interface SimulateInput {
  domain: Domain;
  taskIds: string[];
  /** A personas file (as the user named it), a personas run id or `suite:NAME`; null: the base simulator. */
  personas: string | null;
  /** Generate the personas first with this program (instead of `personas`). */
  program?: { program: Program; n: number; timeoutMs: number; concurrency: number; unsafe: boolean };
  trials: number;
  maxSteps: number;
  judge: boolean;
  fidelityJudge: boolean;
  strictToolJson: boolean;
  toolSchemas: ToolSchemaChoice;
}

export interface SimRunResult {
  runId: string;
  status: RunStatus;
  plan: RunPlan;
  /** Episodes run in this session, already stored before it, and planned in all. */
  ran: number;
  skipped: number;
  planned: number;
  summary: RunSummary;
  tools: { source: string; sha256: string | null };
  userGuidelines: { name: string; sha256: string };
  /** The persona phase of a `--program` run (when it ran in this session). */
  personasRun?: PersonaRunResult;
  /** Tasks left out because their persona generation failed. */
  leftOut: { taskId: string; reason: string }[];
  /** Why the run stopped early: the model server kept failing, or the LLM budget ran out. */
  abandoned?: string;
  budget?: string;
}

/** Plan and create a run (personas files are read now, so a bad file fails before any run exists), then execute it. */
export async function startRun(deps: SimRunDeps, input: SimulateInput): Promise<SimRunResult> {
  if (input.program && input.personas) throw new InputError("give personas or a program to generate them, not both", "drop --personas or --program");
  const now = deps.now ?? (() => new Date());
  const resolved = input.personas ? resolvePersonas(input.personas, deps.store, deps.cwd) : undefined;
  let personas = resolved?.spec ?? null;
  if (input.program) {
    const tasks = input.taskIds.map((id) => ({ id, context: taskContext(input.domain, id) }));
    const p = input.program;
    personas = createPersonaRun({ store: deps.store, seed: deps.config.defaults.seed, version: deps.version, now }, { domain: input.domain.name, tasks, n: p.n, program: p.program, timeoutMs: p.timeoutMs, concurrency: p.concurrency, unsafe: p.unsafe }).runId;
  }
  const plan = newPlan(input.domain, { ...input, personas, snapshot: resolved?.snapshot, generated: input.program !== undefined });
  const stamp = now().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 13);
  const runId = `sim-${stamp}-${randomUUID().slice(0, 8)}`;
  createRun(deps.store, { id: runId, kind: "simulate", config: { plan, config: deps.config, ...(deps.configSources ? { sources: deps.configSources } : {}) }, seed: deps.config.defaults.seed, version: deps.version, now: now(), ...(deps.parent ? { parent: deps.parent } : {}) });
  // A --program run's personas run was made first; it belongs to this run.
  if (input.program && personas) setRunParent(deps.store, personas, runId);
  deps.onCreated?.(runId);
  return execute(deps, runId, plan, false);
}

export async function resumeRun(deps: SimRunDeps, runId: string): Promise<SimRunResult> {
  const run = getRun(deps.store, runId);
  if (!run || run.kind !== "simulate") throw new InputError(`--resume ${runId}: no simulate run with that id in ${deps.store.path}`, "list them with `ppol runs --kind simulate`");
  const plan = RunPlan.parse(JSON.parse(run.config_json).plan);
  if (run.status !== "running") setRunStatus(deps.store, runId, "running", (deps.now ?? (() => new Date()))(), "resumed");
  return execute(deps, runId, plan, true);
}

async function execute(deps: SimRunDeps, runId: string, plan: RunPlan, resumed: boolean): Promise<SimRunResult> {
  const { store, config } = deps;
  const now = deps.now ?? (() => new Date());
  const domain = deps.domain(plan.domain);
  if (resumed && domain.hashes.data !== plan.data_hash)
    throw new InputError(`run ${runId} used τ² data ${plan.data_hash.slice(0, 12)}, but ${domain.name} is now ${domain.hashes.data!.slice(0, 12)}`, "resume with the same --tau2-data, or start a new run");
  const tools = runTools(domain, plan, resumed ? runId : undefined);
  const userGuidelines = runGuidelines(domain, plan, resumed ? runId : undefined);
  const base = { runId, plan, tools: { source: tools.source, sha256: tools.sha256 }, userGuidelines: { name: userGuidelines.name, sha256: userGuidelines.sha256 } };
  const llm = deps.llm(runId, config);

  // The persona phase of a --program run: finished first (a resume picks it up where it stopped).
  let personasRun: PersonaRunResult | undefined;
  if (plan.generated && plan.personas && getRun(store, plan.personas)?.status !== "done" && getRun(store, plan.personas)?.status !== "failed") {
    if (!deps.personas) throw new InputError(`run ${runId} still has to generate its personas`, "resume it with `ppol simulate --resume`, which brings the sandbox");
    personasRun = await resumePersonaRun({ store, llm: () => llm, seed: config.defaults.seed, version: deps.version, signal: deps.signal, now, ...deps.personas }, plan.personas);
    if (personasRun.status === "interrupted") {
      setRunStatus(store, runId, "interrupted", now(), "stopped while generating personas");
      return { ...base, status: "interrupted", ran: 0, skipped: 0, planned: 0, summary: summarize([]), personasRun, leftOut: [] };
    }
  }
  const { episodes, leftOutTaskIds } = runEpisodePlan(store, runId, plan, config.defaults.seed, deps.cwd);
  const leftOut = leftOutTaskIds.map((taskId) => ({ taskId, reason: failureOf(store, plan.personas!, taskId) }));
  if (plan.generated && leftOut.length === plan.task_ids.length) {
    setRunStatus(store, runId, "failed", now(), "persona generation failed for every task");
    throw new InputError(`persona generation failed for every task (personas run ${plan.personas})`, "check the program with `ppol generator check` and the generator role's model");
  }
  const done = finishedEpisodeIds(store, runId);
  // Progress summaries: what is finished, updated as episodes end (no transcripts read back).
  const finished: EpisodeSummaryInput[] = listEpisodeSummaries(store, runId).filter((e) => done.has(e.id));
  deps.onPlanned?.({ planned: episodes.length, done: episodes.filter((e) => done.has(e.id)).length });
  const result = await simulate({
    store,
    llm,
    runId,
    domain,
    tools: tools.schemas,
    userGuidelines,
    agentTemperature: roleConfig(config, "agent").temperature ?? 0,
    strictToolJson: plan.strict_tool_json,
    plan: episodes,
    done,
    maxSteps: plan.max_steps,
    concurrency: deps.concurrency ?? config.defaults.concurrency,
    judge: plan.judge ? llmJudge(llm, { seed: config.defaults.seed }) : undefined,
    fidelityJudge: plan.fidelity_judge,
    models: { agent: roleConfig(config, "agent").targets[0]!.model, user: roleConfig(config, "user").targets[0]!.model },
    signal: deps.signal,
    now,
    onEpisode: (record) => {
      if (!deps.onEpisode) return;
      finished.push({ ...record, fidelity_flags: record.fidelity.length });
      deps.onEpisode(record, summarize(finished));
    },
  });
  const status: RunStatus = result.abandoned ? "failed" : result.interrupted ? "interrupted" : "done";
  setRunStatus(store, runId, status, now(), result.abandoned ?? result.budget?.split("\n")[0]);
  return {
    ...base,
    status,
    ran: result.ran,
    skipped: result.skipped,
    planned: episodes.length,
    summary: summarize(listEpisodeSummaries(store, runId)),
    ...(personasRun ? { personasRun } : {}),
    leftOut,
    ...(result.abandoned ? { abandoned: result.abandoned } : {}),
    ...(result.budget ? { budget: result.budget } : {}),
  };
}

/**
 * The episodes a run's plan makes with its personas as the archive holds them now (run seed `seed`), and
 * the tasks a generated run leaves out because their generation failed (instead of running them without
 * a persona). What execute runs; a bundle replay computes the same ids.
 */
export function runEpisodePlan(store: Store, runId: string, plan: RunPlan, seed: number, cwd: string): { episodes: PlannedEpisode[]; leftOutTaskIds: string[] } {
  const byTask = planPersonas(plan, store, cwd);
  const personas = byTask ? personasFor(plan.task_ids, byTask) : new Map();
  const leftOutTaskIds = plan.generated ? plan.task_ids.filter((id) => !personas.has(id)) : [];
  const taskIds = plan.task_ids.filter((id) => !leftOutTaskIds.includes(id));
  return { episodes: planEpisodes({ runId, taskIds, personas, trials: plan.trials, seed }), leftOutTaskIds };
}

function taskContext(domain: Domain, taskId: string): string {
  const task = domain.tasks.find((t) => t.id === taskId);
  if (!task) throw new InputError(`${domain.name} has no task "${taskId}"`);
  return taskContextText(task.user_scenario, domain.name);
}

function failureOf(store: Store, personasRun: string, taskId: string): string {
  const row = personaTaskOutcomes(store, personasRun).find((o) => o.task_id === taskId);
  return row ? `${row.error_kind ?? "invalid personas"}: ${(row.error ?? "").split("\n")[0]}` : "no personas";
}
