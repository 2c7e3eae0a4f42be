/**
 * `ppol benchmark` as a stage: one benchmark run that makes, for every program condition, one personas
 * run (the same users for every agent model), and for every agent model × simulated condition one
 * simulate run (capped at 30 steps, as the reference's benchmarks). Every sub-run id is stored in the plan
 * the moment it exists, so `resumeBenchmark` finishes what is missing and redoes nothing. The report is
 * computed from the archive afterwards (score.ts).
 */
import { randomUUID } from "node:crypto";
import type { Config, RoleConfig } from "../../config/index.ts";
import { roleConfig } from "../../config/index.ts";
import { InputError } from "../../errors.ts";
import { sha256 } from "../../hash.ts";
import { type PersonaRunDeps, type Program, resumePersonaRun, startPersonaRun, SUITE_PREFIX, SUITES, taskContextText } from "../../personas/index.ts";
import { resumeRun, type SimRunDeps, type SimRunResult, startRun } from "../../sim/index.ts";
import { loadDiscriminatorModel } from "../../fitness/index.ts";
import { createRun, fitnessArchive, getRun, listPersonas, type RunStatus, setRunConfig, setRunStatus, type Store } from "../../store/index.ts";
import type { Domain } from "../../tau2/index.ts";
import { type BenchmarkCondition, BenchmarkPlan, simKey } from "./plan.ts";

export interface BenchmarkDeps {
  sim: Omit<SimRunDeps, "onPlanned" | "onEpisode" | "config">;
  personas: Omit<PersonaRunDeps, "store" | "version" | "signal">;
  config: Config;
  /** Progress: episodes planned in all (grows as the plan is known) and each episode or persona task that ends. */
  onPlanned?: (episodes: number) => void;
  onEpisode?: () => void;
  onPersonaTask?: (taskId: string, ok: boolean) => void;
}

export interface BenchmarkInput {
  domain: Domain;
  split: string;
  taskIds: string[];
  personasPerTask: number;
  trials: number;
  maxSteps: number;
  humanSet: string;
  discriminator: string;
  conditions: Pick<BenchmarkCondition, "name" | "kind" | "suite">[];
  agentModels: (string | null)[];
  /** The programs of the program conditions (dp, ppol-initial, ppol-evolved). */
  programs: Partial<Record<"dp" | "ppol-initial" | "ppol-evolved", Program>>;
  evolvedFrom: string | null;
}

export interface BenchmarkRunResult {
  runId: string;
  status: RunStatus;
  plan: BenchmarkPlan;
}

export async function startBenchmark(deps: BenchmarkDeps, input: BenchmarkInput): Promise<BenchmarkRunResult> {
  const store = deps.sim.store;
  loadDiscriminatorModel(fitnessArchive(store), input.discriminator); // an unknown id fails before the run exists
  const conditions: BenchmarkCondition[] = input.conditions.map((c) => {
    if (c.kind === "dp" || c.kind === "ppol-initial" || c.kind === "ppol-evolved") {
      const program = input.programs[c.kind];
      if (!program) throw new InputError(`condition ${c.name} has no program`, "pass --evolved RUN|FILE for ppol-evolved");
      return { ...c, program: { name: program.name, sha256: sha256(program.code) } };
    }
    return c;
  });
  const plan: BenchmarkPlan = {
    domain: input.domain.name,
    split: input.split,
    task_ids: input.taskIds,
    personas_per_task: input.personasPerTask,
    trials: input.trials,
    max_steps: input.maxSteps,
    human_set: input.humanSet,
    discriminator: input.discriminator,
    conditions,
    agent_models: input.agentModels,
    evolved_from: input.evolvedFrom,
    personas_runs: {},
    sim_runs: {},
  };
  const now = deps.sim.now ?? (() => new Date());
  const stamp = now().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 13);
  const runId = `bench-${stamp}-${randomUUID().slice(0, 8)}`;
  createRun(store, { id: runId, kind: "benchmark", config: { plan, config: deps.config }, seed: deps.config.defaults.seed, version: deps.sim.version, now: now() });
  return execute(deps, runId, plan, input.programs);
}

export async function resumeBenchmark(deps: BenchmarkDeps, runId: string): Promise<BenchmarkRunResult> {
  const store = deps.sim.store;
  const run = getRun(store, runId);
  if (!run || run.kind !== "benchmark") throw new InputError(`--resume ${runId}: no benchmark run with that id in ${store.path}`, "list them with `ppol runs --kind benchmark`");
  const plan = BenchmarkPlan.parse(JSON.parse(run.config_json).plan);
  if (run.status !== "running") setRunStatus(store, runId, "running", (deps.sim.now ?? (() => new Date()))(), "resumed");
  return execute(deps, runId, plan, {});
}

async function execute(deps: BenchmarkDeps, runId: string, plan: BenchmarkPlan, programs: BenchmarkInput["programs"]): Promise<BenchmarkRunResult> {
  const store = deps.sim.store;
  const now = deps.sim.now ?? (() => new Date());
  const save = () => setRunConfig(store, runId, { ...JSON.parse(getRun(store, runId)!.config_json), plan });
  const domain = deps.sim.domain(plan.domain);
  const simulated = plan.conditions.filter((c) => c.kind !== "humans");
  deps.onPlanned?.(plannedEpisodes(plan));
  const finish = (status: RunStatus, note?: string): BenchmarkRunResult => (setRunStatus(store, runId, status, now(), note), { runId, status, plan });

  // 1. The users of each program condition, generated once and shared by every agent model.
  for (const c of simulated.filter((x) => x.program)) {
    const existing = plan.personas_runs[c.name];
    const personaDeps: PersonaRunDeps = { ...deps.personas, store, version: deps.sim.version, signal: deps.sim.signal, now, parent: runId, onTask: (r) => deps.onPersonaTask?.(r.task_id, r.ok) };
    let status: RunStatus;
    if (existing) {
      const st = getRun(store, existing)?.status;
      status = st === "done" || st === "failed" ? st : (await resumePersonaRun(personaDeps, existing)).status;
    } else {
      const program = programs[c.kind as keyof BenchmarkInput["programs"]];
      if (!program) throw new InputError(`condition ${c.name}: its program is not available to resume with`, "start a new benchmark");
      const tasks = plan.task_ids.map((id) => ({ id, context: taskContextText(domain.tasks.find((t) => t.id === id)!.user_scenario, domain.name) }));
      const r = await startPersonaRun(personaDeps, { domain: domain.name, tasks, n: plan.personas_per_task, program, timeoutMs: 300_000, concurrency: 2, unsafe: false });
      plan.personas_runs[c.name] = r.runId;
      save();
      status = r.status;
    }
    if (status === "interrupted") return finish("interrupted", `stopped while generating the personas of ${c.name}`);
  }

  // 2. One simulate run per agent model × simulated condition.
  for (const [agent, model] of plan.agent_models.entries()) {
    const config = withAgentModel(deps.config, model);
    for (const c of simulated) {
      const key = simKey(agent, c.name);
      const simDeps: SimRunDeps = { ...deps.sim, config, parent: runId, onEpisode: () => deps.onEpisode?.() };
      let result: SimRunResult;
      const existing = plan.sim_runs[key];
      if (existing) {
        const st = getRun(store, existing)?.status;
        if (st === "done") continue;
        result = await resumeRun(simDeps, existing);
      } else {
        const personas = c.program ? plan.personas_runs[c.name]! : (c.suite ?? null);
        const taskIds = c.program ? tasksWithPersonas(store, personas!, plan.task_ids) : plan.task_ids;
        if (taskIds.length === 0) throw new InputError(`condition ${c.name}: persona generation failed for every task (personas run ${personas})`, "check the program with `ppol generator check` and the generator role's model");
        // Record the run id before its episodes start, so a crash mid-run is resumed, not started again.
        result = await startRun({ ...simDeps, onCreated: (id) => ((plan.sim_runs[key] = id), save()) }, {
          domain,
          taskIds,
          personas,
          trials: plan.trials,
          maxSteps: plan.max_steps,
          judge: true,
          fidelityJudge: false,
          strictToolJson: false,
          toolSchemas: undefined,
        });
      }
      if (result.status === "interrupted") return finish("interrupted", `stopped during ${c.name}${model ? ` (agent ${model})` : ""}`);
      if (result.status === "failed") return finish("failed", result.abandoned);
    }
  }
  return finish("done");
}

/** Episodes the whole benchmark plans (for the progress line; program conditions count n users per task). */
function plannedEpisodes(plan: BenchmarkPlan): number {
  const users = (c: BenchmarkCondition) => (c.kind === "base" ? 1 : c.suite ? (SUITES.get(c.suite.slice(SUITE_PREFIX.length))?.personas.length ?? 1) : plan.personas_per_task);
  return plan.agent_models.length * plan.conditions.filter((c) => c.kind !== "humans").reduce((s, c) => s + plan.task_ids.length * users(c) * plan.trials, 0);
}

/** Tasks whose personas were generated (the others are left out, as `simulate --program` leaves them out). */
function tasksWithPersonas(store: Store, personasRun: string, taskIds: readonly string[]): string[] {
  const ok = new Set(listPersonas(store, personasRun).map((p) => p.task_id));
  return taskIds.filter((id) => ok.has(id));
}

/** The config with the agent role on another model (same endpoint and settings); null keeps it. */
function withAgentModel(config: Config, model: string | null): Config {
  if (!model) return config;
  const agent: RoleConfig = roleConfig(config, "agent");
  return { ...config, roles: { ...config.roles, agent: { ...agent, targets: agent.targets.map((t) => ({ ...t, model })) } } };
}
