import { randomUUID } from "node:crypto";
import { type Config, roleConfig } from "../config/index.ts";
import { PpolError, UsageError } from "../errors.ts";
import { EvolveOptions, type EvolveOptionsInput, type EvolveResult, parseEvolveSection, type ProgramBrief, resumePpolEvolution, startPpolEvolution } from "../evolve/index.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { costOf, createLlm } from "../llm/index.ts";
import { type EvolveBlock, evolveBlock } from "../report/index.ts";
import { getEvolveRun, runLlmUsage } from "../store/index.ts";
import { loadProgram } from "../personas/index.ts";
import { defineCommand, intFlag, JSON_OPTION, positiveFlag, str, UNSAFE_OPTION, type CommandContext } from "./command.ts";
import { EvolveView } from "./evolve-view.ts";
import { CUES_OPTION, cueSetOf } from "./fitness-args.ts";
import { formatCost, formatTokens } from "./format.ts";
import { domainFromContext, selectTasks } from "./tau2-args.ts";
import { versionInfo } from "./version.ts";

/** Flags that would change a run's plan: a resumed run keeps the one it started with. */
const PLAN_FLAGS = ["domain", "human", "discriminator", "program", "tasks", "iterations", "islands", "objective", "final-by", "cues", "unsafe-sandbox"];

export default defineCommand({
  name: "evolve",
  summary: "the main job: evolve the persona generator program (islands, MAP-Elites, validation), resumable",
  usage: "ppol evolve --domain D --human NAME [--discriminator ID] [--program seed:ppol|FILE] [--iterations N] [--parallel K] [--out FILE.py] [--json] | --resume RUN",
  description:
    "An LLM (role mutator) edits the EVOLVE blocks of the generator program; each child is checked, compared with its island\n" +
    "(near-duplicates are rejected before any episode), then evaluated as the PPol reference does: a sliding batch of 5 train\n" +
    "tasks, N = 5 → 8 → 10 personas per task by epoch, one τ² episode per persona (20 steps), score = λ_h·HL + λ_c·Cov with\n" +
    "λ_c = 0.5·N/10, and a reflection (role reflector) for the next mutation. 20% of the train tasks are held out (Python's\n" +
    "random.Random(42)); the first evaluation and every train score above 0.7 are validated on them (10 personas, 30 steps,\n" +
    "λ 0.5/0.5), and the final program is the best by validation. Without --discriminator the run first plays the base\n" +
    "simulator once per train task (30 steps) and trains one against --human's train split; both are stored and reused on resume.\n" +
    "Stops after --iterations child slots or 20 evaluations without a new best. Every program, evaluation, episode and LLM call\n" +
    "is in the archive: Ctrl-C (or a kill) loses no finished evaluation, and `--resume RUN` continues; the same --seed gives the\n" +
    "same archive at any --parallel, and --llm-cache ro replays a finished run without a server.\n" +
    "[evolve] in ppol.toml sets any engine or PPol option (iterations, islands, objective, parallel, early_stop, batch_size,\n" +
    "personas_schedule, personas_final, train_max_steps, validation_max_steps, …); these flags override it.",
  options: {
    domain: { type: "string", valueName: "D", description: "τ² domain: retail or airline" },
    human: { type: "string", valueName: "NAME", description: "stored human reference set (its train split is the coverage cloud and the discriminator's human class)" },
    discriminator: { type: "string", valueName: "ID", description: "score with this discriminator instead of training one (its cue set and preparation must match)" },
    program: { type: "string", valueName: "seed:ppol|FILE", description: "the program to start from (default seed:ppol)" },
    tasks: { type: "string", valueName: "SPLIT|IDS", description: "the task pool before the 20% validation hold-out (default: the train split)" },
    iterations: { type: "string", valueName: "N", description: "child slots in the run (default 70)" },
    islands: { type: "string", valueName: "N", description: "islands (default 5)" },
    objective: { type: "string", valueName: "scalar|pareto", description: "parent choice by the combined score, or Pareto over (HL, Cov, 1 − goal-fidelity flag rate)" },
    parallel: { type: "string", valueName: "K", description: "children evaluated at once (default 1; results do not depend on it)" },
    "final-by": { type: "string", valueName: "validation|train", description: "the chosen program: best by validation (default, the method) or by train score (the reference's OpenEvolve best)" },
    ...CUES_OPTION,
    ...UNSAFE_OPTION,
    "max-tokens": { type: "string", valueName: "N", description: "stop starting LLM calls once this many tokens are spent or in flight" },
    "max-cost": { type: "string", valueName: "USD", description: "the same in USD (needs [llm.prices])" },
    out: { type: "string", valueName: "FILE.py", description: "write the chosen program (see --final-by) here" },
    resume: { type: "string", valueName: "RUN", description: "continue an interrupted, failed or killed evolve run (--parallel may change)" },
    ...JSON_OPTION,
  },
  examples: [
    "ppol evolve --domain airline --human usi-airline --iterations 70 --parallel 4 --out best.py",
    "ppol evolve --domain retail --human people --discriminator d-1a2b3c4d5e6f --objective pareto",
    "ppol evolve --resume evolve-20261201-1030-ab12cd34 --parallel 8",
    "ppol evolve --domain airline --human usi-airline --seed 7 --llm-cache ro --json   # replay a finished run from the archive, no server",
  ],
  async run(ctx) {
    const resume = str(ctx.values, "resume");
    if (resume) for (const flag of PLAN_FLAGS) if (ctx.values[flag] !== undefined) throw new UsageError(`--resume keeps the run's plan: drop --${flag}`);
    const parallel = ctx.values.parallel !== undefined ? intFlag(ctx.values, "parallel", { fallback: 1, max: 256 }) : undefined;
    const { config } = ctx.config();
    const store = ctx.store();
    const start = resume ? undefined : startRequest(ctx, parallel);
    const runId = resume ?? start!.runId;
    await checkEndpoints(config);
    const budget = { maxTokens: positiveFlag(ctx.values, "max-tokens"), maxCost: positiveFlag(ctx.values, "max-cost") };
    const llm = createLlm({ config, store, runId, env: ctx.env, budget });
    ctx.onExit(() => llm.close());

    const stored = resume ? getEvolveRun(store, resume) : undefined;
    // The live view's total; an unknown --resume run is refused by the stage below.
    const options = EvolveOptions.safeParse(stored ? JSON.parse(stored.options_json) : (start?.engine ?? {}));
    const total = options.success ? options.data.iterations : 0;
    const alreadyDone = stored ? (evolveBlock(store, runId)?.summary.iterations ?? 0) : 0;
    const view = new EvolveView({ total, alreadyDone, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !ctx.values.json, usage: () => llm.usage() });
    const deps = {
      store,
      llm,
      config,
      loadDomain: (name: string) => domainFromContext(ctx, name),
      python: () => ctx.python(),
      sandbox: { assets: ctx.pythonAssets, cacheRoot: ctx.cacheRoot },
      version: versionInfo().ppol,
      signal: ctx.signal,
      onEvent: (e: Parameters<EvolveView["on"]>[0]) => view.on(e),
    };
    let result: EvolveResult;
    try {
      result = resume ? await resumePpolEvolution(deps, resume, parallel !== undefined ? { parallel } : {}) : await startPpolEvolution(deps, start!);
    } finally {
      view.finish();
      llm.flush();
    }
    const block = evolveBlock(store, runId)!;
    const usage = runLlmUsage(store, runId);
    const tokens = { prompt: usage.reduce((s, u) => s + u.prompt_tokens, 0), completion: usage.reduce((s, u) => s + u.completion_tokens, 0) };
    const cost = usage.reduce((s, u) => s + costOf(config.llm.prices, u.model, u.prompt_tokens, u.completion_tokens), 0);
    const outPath = str(ctx.values, "out");
    let wrote: string | undefined;
    if (outPath && result.final) writeFileAtomic((wrote = resolvePath(ctx.cwd, outPath)), result.final.code);
    else if (outPath) ctx.io.err("ppol: warning: no program has been evaluated yet: --out not written");

    if (ctx.values.json) ctx.io.out(JSON.stringify(jsonReport(result, block, tokens, cost, wrote), null, 2));
    else printReport(ctx, result, block, tokens, cost, wrote);
    if (result.status === "interrupted") {
      const why = result.stopReason === "budget" ? `LLM budget reached (${(result.message ?? "").split("\n")[0]}); raise --max-tokens / --max-cost and ` : "stopped; ";
      ctx.io.err(`ppol: ${why}continue with \`ppol evolve --resume ${runId}\``);
      return 1;
    }
    return 0;
  },
});

/** The roles an evolve run calls. */
const ROLES = ["mutator", "generator", "user", "agent", "reflector"] as const;

/**
 * Fail in seconds, with one line, when a model server the run needs does not answer at all (instead of
 * after every episode's retries). Only the connection counts; `ppol doctor` checks models and tools.
 * A replay (--llm-cache ro) never touches the network.
 */
async function checkEndpoints(config: Config) {
  if (config.defaults.llm_cache === "ro") return;
  const used = new Map<string, { roles: string[]; model: string }>();
  for (const role of ROLES)
    for (const t of roleConfig(config, role).targets) {
      const entry = used.get(t.endpoint) ?? { roles: [], model: t.model };
      entry.roles.push(role);
      used.set(t.endpoint, entry);
    }
  await Promise.all(
    [...used].map(async ([name, { roles, model }]) => {
      const base = config.endpoints[name]!.base_url.replace(/\/+$/, "");
      try {
        await fetch(`${base}/models`, { signal: AbortSignal.timeout(5_000) });
      } catch (error) {
        const why = (error as Error).name === "TimeoutError" ? "no answer within 5 s" : String((error as Error).message ?? error).split(".")[0];
        throw new PpolError(
          `no model server answers at ${base} (endpoint "${name}", roles ${[...new Set(roles)].join(", ")}: ${why})`,
          `start it (Ollama: \`ollama serve\`, then \`ollama pull ${model}\`) or pass --endpoint URL --model NAME; \`ppol doctor\` checks everything`,
          1,
        );
      }
    }),
  );
}

/** A new run's request from flags over the [evolve] section over the defaults; everything checked before a run exists. */
function startRequest(ctx: CommandContext, parallel: number | undefined) {
  const { config, sources, file } = ctx.config();
  const domainName = str(ctx.values, "domain");
  const human = str(ctx.values, "human");
  if (!domainName || !human) throw new UsageError("evolve: --domain and --human are required (or --resume RUN)", "e.g. ppol evolve --domain airline --human usi-airline");
  const section = parseEvolveSection(config.evolve, `${file ?? "config"} [evolve]`);
  const engine: EvolveOptionsInput = { ...section.engine };
  // --seed / PPOL_SEED win over [evolve] seed; [evolve] seed over [defaults] seed.
  const seedSource = sources["defaults.seed"] ?? "default";
  engine.seed = seedSource.startsWith("flag:") || seedSource.startsWith("env:") || engine.seed === undefined ? config.defaults.seed : engine.seed;
  if (ctx.values.iterations !== undefined) engine.iterations = intFlag(ctx.values, "iterations", { fallback: 70, max: 100_000 });
  if (ctx.values.islands !== undefined) engine.islands = intFlag(ctx.values, "islands", { fallback: 5, max: 64 });
  if (parallel !== undefined) engine.parallel = parallel;
  const objective = str(ctx.values, "objective");
  if (objective !== undefined) {
    if (objective !== "scalar" && objective !== "pareto") throw new UsageError(`--objective: "${objective}" is not scalar or pareto`, "e.g. --objective pareto");
    engine.objective = objective;
  }
  const finalBy = str(ctx.values, "final-by");
  if (finalBy !== undefined) {
    if (finalBy !== "validation" && finalBy !== "train") throw new UsageError(`--final-by: "${finalBy}" is not validation or train`, "e.g. --final-by train");
    engine.final_by = finalBy;
  }
  const domain = domainFromContext(ctx, domainName);
  const tasksArg = str(ctx.values, "tasks") ?? "train";
  const tasks = selectTasks(domain, { tasks: tasksArg });
  const program = loadProgram(str(ctx.values, "program") ?? "seed:ppol", ctx.cwd);
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 13);
  const unsafe = ctx.values["unsafe-sandbox"] === true;
  if (unsafe) ctx.io.err("ppol: warning: --unsafe-sandbox: generator programs run WITHOUT OS confinement (recorded in the run)");
  return {
    runId: `evolve-${stamp}-${randomUUID().slice(0, 8)}`,
    domain: domain.name,
    taskIds: tasks.map((t) => t.id),
    pool: tasksArg,
    human,
    discriminator: str(ctx.values, "discriminator"),
    program: { name: program.name, code: program.code },
    engine,
    ppol: section.ppol,
    cues: cueSetOf(ctx),
    unsafeSandbox: unsafe,
    record: { config, sources, mutator_models: roleConfig(config, "mutator").targets.map((t) => t.model) },
  };
}

const brief = (p: ProgramBrief | null) => (p ? { id: p.id, generation: p.generation, island: p.island, score: p.metrics.score, hl: p.metrics.hl ?? null, cov: p.metrics.cov ?? null, fidelity: p.metrics.fidelity ?? null, validation: p.validation } : null);

function jsonReport(result: EvolveResult, block: EvolveBlock, tokens: { prompt: number; completion: number }, cost: number, out: string | undefined) {
  const s = block.summary;
  return {
    run_id: result.runId,
    status: result.status,
    stop_reason: result.stopReason,
    ...(result.message ? { message: result.message } : {}),
    generations: s.generations,
    iterations: s.iterations,
    proposals: s.proposals,
    evaluations: s.evaluations,
    rejected: s.rejected,
    failed: s.failed,
    best_train: brief(s.bestTrain),
    best_validation: s.bestValidation ? { ...brief(s.bestValidation)!, score: s.bestValidation.validation!.score, hl: s.bestValidation.validation!.hl ?? null, cov: s.bestValidation.validation!.cov ?? null, train_score: s.bestValidation.metrics.score } : null,
    final: brief(s.final),
    final_sha256: block.final_sha256,
    pareto_front: s.paretoFront.map(brief),
    islands: s.islands.map((i) => ({ island: i.island, population: i.population, cells: i.cells, best: i.best?.metrics.score ?? null })),
    lineage_depth: s.lineageDepth,
    bootstrap: block.bootstrap,
    tokens: { ...tokens, total: tokens.prompt + tokens.completion },
    cost,
    ...(out ? { out } : {}),
  };
}

function printReport(ctx: CommandContext, result: EvolveResult, block: EvolveBlock, tokens: { prompt: number; completion: number }, cost: number, out: string | undefined) {
  const s = block.summary;
  const o = ctx.io.out;
  const reasons = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v}`).join(", ") || "none";
  const line = (label: string, p: ProgramBrief | null, m: Record<string, number> | null | undefined) =>
    p && m ? o(`  ${label.padEnd(16)}${p.id.padEnd(14)} score ${m.score!.toFixed(3)} · HL ${(m.hl ?? 0).toFixed(3)} · Cov ${(m.cov ?? 0).toFixed(3)}`) : o(`  ${label.padEnd(16)}–`);
  o(`run ${result.runId}: ${result.status} (${result.stopReason}) · ${s.iterations} iterations · ${s.evaluations} evaluations · ${s.generations} generations`);
  o(`  rejected before evaluation: ${reasons(s.rejected)} · failed evaluations: ${reasons(s.failed)}`);
  line("best train", s.bestTrain, s.bestTrain?.metrics);
  line("best validation", s.bestValidation, s.bestValidation?.validation);
  o(`  final           ${s.final ? `${s.final.id} (${s.bestValidation ? "best by validation" : "best by train: nothing validated yet"})` : "–"}`);
  o(`  Pareto front    ${s.paretoFront.map((p) => p.id).join(", ") || "–"}`);
  o(`  islands         ${s.islands.map((i) => `${i.island}: ${i.best ? i.best.metrics.score!.toFixed(3) : "–"} (${i.cells} cells)`).join(" · ")} · lineage depth ${s.lineageDepth}`);
  if (block.bootstrap) o(`  discriminator   ${block.bootstrap.discriminator_id}${block.bootstrap.base_run_id ? ` (trained on base run ${block.bootstrap.base_run_id})` : " (given)"}`);
  o(`  tokens ${formatTokens(tokens.prompt)} in / ${formatTokens(tokens.completion)} out · cost ${formatCost(cost)}`);
  if (out) o(`  wrote the chosen program to ${out}`);
}
