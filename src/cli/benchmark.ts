import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { loadProgram } from "../personas/index.ts";
import { type BenchmarkRunResult, benchmarkReport, evolveDiscriminator, evolvedProgram, parseConditions, reportMarkdown, resumeBenchmark, startBenchmark, writeRunOutputs } from "../report/index.ts";
import { EVAL_MAX_STEPS } from "../sim/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str } from "./command.ts";
import { Progress } from "./progress.ts";
import { personaRunDeps, simRunDeps } from "./stage-deps.ts";
import { domainFromContext, selectTasks } from "./tau2-args.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "benchmark",
  summary: "the paper's Table 1 in one command: every condition's HL, Cov, Score, Dice, USI, rewards and costs with 95% CIs",
  usage: "ppol benchmark --domain D --human NAME --discriminator ID [--split test] [--personas-per-task 10] [--trials 1] [--evolved RUN|FILE] [--conditions …] [--agent-model M]… [--out DIR] | --resume RUN",
  description:
    "Conditions (Table 1): humans (the human set's test split scored against its train cloud), base (the persona-free\n" +
    "simulator), dp (the DP baseline's personas), ppol-initial (the seed program's), ppol-evolved (an evolve run's chosen\n" +
    "program or a file), and any ood:SUITE (`ppol personas --suites`). Each program condition's personas are generated\n" +
    "once and shared by every --agent-model (one block of results per agent). Episodes are capped at 30 steps, as the\n" +
    "reference's benchmarks. Every metric has a 95% percentile-bootstrap interval over tasks (seeded). Writes\n" +
    "report.md, report.json, report.csv and SVG plots to --out and keeps everything in the archive; Ctrl-C stops\n" +
    "cleanly and `--resume RUN` finishes what is missing.",
  options: {
    domain: { type: "string", valueName: "D", description: "retail or airline" },
    split: { type: "string", valueName: "S", description: "τ² task split (default test)" },
    tasks: { type: "string", valueName: "IDS", description: "comma-separated task ids instead of the split (smaller trials)" },
    human: { type: "string", valueName: "NAME", description: "human reference set (its test split is the Humans row, its train split the coverage cloud)" },
    discriminator: { type: "string", valueName: "ID", description: "the human-likeness model (default: the one the --evolved run trained)" },
    "personas-per-task": { type: "string", valueName: "N", description: "users per task for program conditions (default 10)" },
    trials: { type: "string", valueName: "K", description: "episodes per task and user (default 1); pass^1..k is reported" },
    evolved: { type: "string", valueName: "RUN|FILE", description: "the evolved program: an evolve run (its chosen program) or a .py file" },
    conditions: { type: "string", valueName: "LIST", description: "comma-separated: humans, base, dp, ppol-initial, ppol-evolved, ood:SUITE (default: the paper's five)" },
    "agent-model": { type: "string", multiple: true, valueName: "M", description: "benchmark this agent model (repeatable: one block per model, the same users)" },
    "max-steps": { type: "string", valueName: "N", description: `orchestrator steps per episode (default ${EVAL_MAX_STEPS}, the reference's evaluation cap)` },
    out: { type: "string", valueName: "DIR", description: "write report.md, report.json, report.csv and the plots here (created; its parent must exist)" },
    resume: { type: "string", valueName: "RUN", description: "finish an interrupted benchmark run" },
    concurrency: { type: "string", valueName: "N", description: "episodes in flight (default [defaults].concurrency)" },
    "max-tokens": { type: "string", valueName: "N", description: "LLM token budget per sub-run (spent plus in flight)" },
    "max-cost": { type: "string", valueName: "USD", description: "LLM cost budget per sub-run (needs [llm.prices])" },
    ...JSON_OPTION,
  },
  examples: [
    "ppol benchmark --domain airline --human usi-airline --evolved evolve-20261202-1200-ab12cd34 --out table1",
    "ppol benchmark --domain retail --human usi-retail --discriminator d-1a2b3c4d5e6f --conditions base,ppol-initial,ood:impatient --agent-model qwen3:8b --agent-model llama3.1:8b",
    "ppol benchmark --resume bench-20261202-1400-1234abcd --out table1",
  ],
  async run(ctx) {
    const json = ctx.values.json === true;
    const outArg = str(ctx.values, "out");
    const outDir = outArg ? resolvePath(ctx.cwd, outArg) : undefined;
    if (outDir && !existsSync(dirname(outDir))) throw new InputError(`--out ${outArg}: its parent folder ${dirname(outDir)} does not exist`, "create it first or choose another path"); // before any episode runs
    let progress: Progress | undefined;
    let planned = 0;
    const line = () => (progress ??= new Progress({ label: "benchmark episodes", total: planned, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !json }));
    const { onPlanned: _p, onEpisode: _e, config: _c, ...sim } = simRunDeps(ctx, { concurrency: intFlag(ctx.values, "concurrency", { fallback: ctx.config().config.defaults.concurrency, max: 1024 }) });
    const { store: _s, version: _v, signal: _g, ...personas } = personaRunDeps(ctx);
    const deps = {
      sim,
      personas,
      config: ctx.config().config,
      onPlanned: (n: number) => void (planned = n),
      onEpisode: () => line().tick(1),
      onPersonaTask: (taskId: string, ok: boolean) => void (ok || ctx.io.err(`ppol: warning: persona generation failed for task ${taskId} (left out of that condition)`)),
    };
    let result: BenchmarkRunResult;
    const resume = str(ctx.values, "resume");
    if (resume) {
      for (const flag of ["domain", "split", "tasks", "human", "discriminator", "personas-per-task", "trials", "evolved", "conditions", "agent-model", "max-steps"])
        if (ctx.values[flag] !== undefined) throw new UsageError(`--resume keeps the run's plan: drop --${flag}`);
      result = await resumeBenchmark(deps, resume);
    } else {
      const store = ctx.store();
      const human = str(ctx.values, "human");
      if (!human) throw new UsageError("benchmark: --human NAME is required", "import one with `ppol human import`; list them with `ppol serve` or `ppol archive info`");
      const evolvedSpec = str(ctx.values, "evolved");
      const conditions = parseConditions(str(ctx.values, "conditions"), { evolved: evolvedSpec !== undefined });
      const evolved = evolvedSpec ? evolvedProgram(store, evolvedSpec, ctx.cwd) : undefined;
      const discriminator = str(ctx.values, "discriminator") ?? (evolvedSpec ? evolveDiscriminator(store, evolvedSpec) : undefined);
      if (!discriminator) throw new UsageError("benchmark: --discriminator ID is required (or --evolved RUN, whose discriminator is used)", "train one with `ppol discriminator train`");
      const domain = domainFromContext(ctx, str(ctx.values, "domain"));
      const models = ctx.values["agent-model"];
      result = await startBenchmark(deps, {
        domain,
        split: str(ctx.values, "tasks") ? "tasks" : (str(ctx.values, "split") ?? "test"),
        taskIds: selectTasks(domain, { split: str(ctx.values, "split"), tasks: str(ctx.values, "tasks") }).map((t) => t.id),
        personasPerTask: intFlag(ctx.values, "personas-per-task", { fallback: 10, max: 100 }),
        trials: intFlag(ctx.values, "trials", { fallback: 1, max: 100 }),
        maxSteps: intFlag(ctx.values, "max-steps", { fallback: EVAL_MAX_STEPS, max: 100_000 }),
        humanSet: human,
        discriminator,
        conditions,
        agentModels: Array.isArray(models) && models.length ? models : [null],
        programs: { dp: loadProgram("seed:dp", ctx.cwd), "ppol-initial": loadProgram("seed:ppol", ctx.cwd), ...(evolved ? { "ppol-evolved": evolved } : {}) },
        evolvedFrom: evolvedSpec ?? null,
      });
    }
    progress?.finish();
    if (result.status === "interrupted") {
      ctx.io.err(`ppol: benchmark ${result.runId} interrupted — continue with \`ppol benchmark --resume ${result.runId}\``);
      return 1;
    }
    const { report, plots } = benchmarkReport(ctx.store(), result.runId, { prices: ctx.config().config.llm.prices, version: versionInfo().ppol, now: new Date() });
    const written = await writeRunOutputs(ctx.store(), result.runId, { report, plots }, outDir, new Date());
    if (json) ctx.io.out(JSON.stringify({ run_id: result.runId, status: result.status, files: written, report }, null, 2));
    else ctx.io.out(`benchmark ${result.runId}: ${result.status}${written.length ? ` — wrote ${written.map((f: string) => f.split("/").pop()).join(", ")} to ${outArg}` : ""}\n\n${reportMarkdown(report)}`);
    return result.status === "done" ? 0 : 1;
  },
});
