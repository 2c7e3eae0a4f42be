/**
 * The `ppol evolve` stage: everything is checked before a run exists (domain, tasks, human reference,
 * discriminator, program, options), then the engine runs the PPol problem and evaluator with one sandbox
 * pool for the whole run. A resumed run rebuilds the same problem and evaluator from the plan it stored.
 */
import { type Config, roleConfig } from "../../config/index.ts";
import { InputError } from "../../errors.ts";
import { type CueSet, resolveCueSet } from "../../fitness/index.ts";
import type { Llm } from "../../llm/index.ts";
import { sha256 } from "../../hash.ts";
import { createSandboxPool, type PythonRuntime, type RuntimeAssets } from "../../python/index.ts";
import { userGuidelinesFor } from "../../sim/index.ts";
import { getEvolveRun, getRun, type Store } from "../../store/index.ts";
import { agentTools, type Domain } from "../../tau2/index.ts";
import { type EvolveEvent, type EvolveResult, resumeEvolution, startEvolution } from "../loop.ts";
import { llmMutator } from "../mutator.ts";
import { EvolveOptions, type EvolveOptionsInput } from "../types.ts";
import { type HumanReference, loadHumanReference, loadModel, saveProgram } from "./archive.ts";
import type { BatchEnv } from "./batch.ts";
import type { BootstrapEvent } from "./bootstrap.ts";
import { ppolEvaluator } from "./evaluator.ts";
import type { PpolOptions } from "./options.ts";
import { type PpolPlan, PpolRunConfig } from "./plan.ts";
import { ppolProblem } from "./problem.ts";
import { checkDiscriminator } from "./score.ts";
import { holdOut } from "./split.ts";

export type PpolEvolveEvent = EvolveEvent | { kind: "bootstrap"; event: BootstrapEvent };

export interface PpolEvolveDeps {
  store: Store;
  /** Records every call under the run id; roles mutator, generator, user, agent, reflector. */
  llm: Llm;
  config: Config;
  loadDomain(name: string): Domain;
  /** The embedded runtime the static check parses with. */
  python(): Promise<PythonRuntime>;
  sandbox: { assets: RuntimeAssets; cacheRoot: string };
  version: string;
  signal?: AbortSignal;
  now?: () => Date;
  onEvent?: (e: PpolEvolveEvent) => void;
}

export interface PpolStart {
  runId: string;
  domain: string;
  /** The pool's task ids in τ² order (before the validation hold-out), and how they were chosen. */
  taskIds: readonly string[];
  pool: string;
  human: string;
  discriminator?: string;
  program: { name: string; code: string };
  engine: EvolveOptionsInput;
  ppol: PpolOptions;
  cues: CueSet;
  unsafeSandbox: boolean;
  /** Stored with the run beside the plan (the effective config and where its values came from). */
  record?: Record<string, unknown>;
}

export async function startPpolEvolution(deps: PpolEvolveDeps, start: PpolStart): Promise<EvolveResult> {
  const domain = deps.loadDomain(start.domain);
  if (start.taskIds.length < 2) throw new InputError(`--tasks: ${start.taskIds.length} task(s) selected`, "evolution holds out a validation share of the tasks: select at least 2");
  const { train, validation } = holdOut(start.taskIds, { fraction: start.ppol.validation_fraction, seed: start.ppol.split_seed });
  const human = loadHumanReference(deps.store, start.human);
  if (start.discriminator) checkDiscriminator(loadModel(deps.store, start.discriminator), start.discriminator, start.cues, human);
  const tools = agentTools(domain);
  const guidelines = userGuidelinesFor(domain);
  const plan: PpolPlan = {
    domain: domain.name,
    pool: start.pool,
    human: start.human,
    discriminator: start.discriminator ?? null,
    program: { name: start.program.name, code: start.program.code, sha256: sha256(start.program.code) },
    train_ids: train,
    validation_ids: validation,
    options: start.ppol,
    cues: start.cues.name,
    data_hash: domain.hashes.data!,
    tool_schemas: { source: tools.source, sha256: tools.sha256 },
    user_guidelines: { name: guidelines.name, sha256: guidelines.sha256 },
    unsafe_sandbox: start.unsafeSandbox,
  };
  const parsed = EvolveOptions.safeParse(start.engine);
  if (!parsed.success) throw new InputError(`evolve.${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}`);
  return drive(deps, { runId: start.runId, plan, domain, human, cues: start.cues, options: parsed.data }, (d) =>
    startEvolution(d, { runId: start.runId, options: start.engine, config: { ...start.record, ppol: plan } }),
  );
}

/** Continue an interrupted, failed or killed run; `parallel` may change (results do not depend on it). */
export async function resumePpolEvolution(deps: PpolEvolveDeps, runId: string, overrides: { parallel?: number } = {}): Promise<EvolveResult> {
  const run = getRun(deps.store, runId);
  if (!run) throw new InputError(`--resume ${runId}: no run with that id in ${deps.store.path}`, "list runs with `ppol runs --kind evolve`");
  if (run.kind !== "evolve") throw new InputError(`--resume ${runId}: it is a ${run.kind} run, not an evolve run`, `continue it with \`ppol ${run.kind} --resume ${runId}\`, or give an evolve run`);
  if (run.status === "done") throw new InputError(`--resume ${runId}: the run is already finished`, "start a new run to evolve further (--program can start from its result)");
  const stored = PpolRunConfig.safeParse(JSON.parse(run.config_json));
  if (!stored.success) throw new InputError(`--resume ${runId}: the run was not started by \`ppol evolve\``, "resume it with the program that started it");
  const plan = stored.data.ppol;
  const domain = deps.loadDomain(plan.domain);
  const same = (what: string, was: string | null, now: string | null) => {
    if (was !== now) throw new InputError(`--resume ${runId}: the run used ${what} ${was?.slice(0, 12) ?? "ppol's own"}, but it is now ${now?.slice(0, 12) ?? "ppol's own"}`, "resume with the same τ² data (--tau2-data) it started with");
  };
  same("τ² data", plan.data_hash, domain.hashes.data!);
  same("tool schemas", plan.tool_schemas.sha256, agentTools(domain).sha256);
  same("user-simulator guidelines", plan.user_guidelines.sha256, userGuidelinesFor(domain).sha256);
  const options = EvolveOptions.parse({ ...JSON.parse(getEvolveRun(deps.store, runId)!.options_json), ...overrides });
  const human = loadHumanReference(deps.store, plan.human);
  return drive(deps, { runId, plan, domain, human, cues: resolveCueSet(plan.cues, `run ${runId} cue set`), options }, (d) => resumeEvolution(d, runId, overrides));
}

interface Prepared {
  runId: string;
  plan: PpolPlan;
  domain: Domain;
  human: HumanReference;
  cues: CueSet;
  options: EvolveOptions;
}

type EngineDeps = Parameters<typeof startEvolution>[0];

async function drive(deps: PpolEvolveDeps, p: Prepared, go: (d: EngineDeps) => Promise<EvolveResult>): Promise<EvolveResult> {
  const now = deps.now ?? (() => new Date());
  const agent = roleConfig(deps.config, "agent");
  const pool = createSandboxPool({ assets: deps.sandbox.assets, cacheRoot: deps.sandbox.cacheRoot, unsafe: p.plan.unsafe_sandbox, spares: Math.min(4, p.options.parallel) });
  try {
    const env: BatchEnv = {
      store: deps.store,
      llm: deps.llm,
      pool,
      domain: p.domain,
      tools: agentTools(p.domain).schemas,
      userGuidelines: userGuidelinesFor(p.domain),
      agentTemperature: agent.temperature ?? 0,
      models: { agent: agent.targets[0]!.model, user: roleConfig(deps.config, "user").targets[0]!.model },
      episodeConcurrency: p.plan.options.episode_concurrency ?? deps.config.defaults.concurrency,
      generationConcurrency: p.plan.options.generation_concurrency,
      sandboxTimeoutMs: p.plan.options.sandbox_timeout_ms,
      now,
    };
    const evaluator = ppolEvaluator({
      runId: p.runId,
      env,
      plan: p.plan,
      human: p.human,
      cues: p.cues,
      seed: p.options.seed,
      slotsPerGeneration: p.options.slots ?? p.options.islands,
      version: deps.version,
      onBootstrap: (event) => deps.onEvent?.({ kind: "bootstrap", event }),
    });
    const mutatorModels = roleConfig(deps.config, "mutator").targets.map((t) => t.model);
    return await go({
      store: deps.store,
      problem: ppolProblem(p.plan.program.code, deps.python),
      evaluator,
      mutator: llmMutator(deps.llm, mutatorModels),
      now,
      signal: deps.signal,
      onEvent: (e) => {
        // Every proposal's code, so each child in the web UI links to its program and its diff.
        if (e.kind === "program" && e.program.kind !== "migrant" && e.program.status !== "proposed") saveProgram(deps.store, e.program.codeSha, `${p.runId}/${e.program.id}`, e.program.code, now());
        deps.onEvent?.(e);
      },
      version: deps.version,
    });
  } finally {
    await pool.close();
  }
}
