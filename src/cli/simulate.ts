import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { z } from "zod";
import { roleConfig } from "../config/index.ts";
import { toJsonl } from "../conversations/index.ts";
import { userTurns } from "../model/index.ts";
import { InputError, PpolError, UsageError } from "../errors.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { type Features, fingerprint, meanFeatures } from "../fitness/index.ts";
import { createLlm } from "../llm/index.ts";
import { taskContextText } from "../personas/index.ts";
import {
  episodeToConversation,
  EVAL_MAX_STEPS,
  llmJudge,
  type PersonaRef,
  personasFor,
  planEpisodes,
  PPOL_USER_GUIDELINES,
  runConversations,
  type RunSummary,
  simulate,
  summarize,
  TAU2_MAX_STEPS,
  TRAIN_MAX_STEPS,
  type UserGuidelines,
  userGuidelinesFor,
} from "../sim/index.ts";
import { createRun, finishedEpisodeIds, getRun, listEpisodes, listEpisodeSummaries, setRunStatus, type EpisodeRecord } from "../store/index.ts";
import { agentTools, type AgentTools, type Domain } from "../tau2/index.ts";
import { defineCommand, intFlag, JSON_OPTION, positiveFlag, str, type CommandContext } from "./command.ts";
import { CUES_OPTION, cueSetOf, preparationOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";
import { formatTokens } from "./format.ts";
import { readProgram } from "./generator-check.ts";
import { readPersonaSource } from "./personas-source.ts";
import { runPersonaGeneration } from "./persona-run.ts";
import { Progress } from "./progress.ts";
import { UNSAFE_OPTION } from "./sandbox-run.ts";
import { domainFromContext, selectTasks } from "./tau2-args.ts";
import { versionInfo } from "./version.ts";

/** What a simulate run records, so `--resume` rebuilds exactly the same plan. */
const RunPlan = z.object({
  domain: z.string(),
  task_ids: z.array(z.string()),
  personas: z.string().nullable(),
  trials: z.int().positive(),
  max_steps: z.int().positive(),
  judge: z.boolean(),
  fidelity_judge: z.boolean().default(false),
  strict_tool_json: z.boolean().default(false),
  /** A --tool-schemas file, "ppol" for ppol's own, or null: the data folder's tool_schemas.json when it has one. */
  tool_schemas: z.string().nullable(),
  /** sha256 of the schema file the run used (null: ppol's own); absent in runs of older versions. */
  tool_schemas_sha256: z.string().nullable().optional(),
  /** The user-simulator guidelines the run used; absent in runs of older versions (they used ppol's paraphrase). */
  user_guidelines: z.object({ name: z.string(), sha256: z.string() }).optional(),
  data_hash: z.string(),
});
type RunPlan = z.infer<typeof RunPlan>;

export default defineCommand({
  name: "simulate",
  summary: "run τ² episodes (agent × user simulator, with or without personas) and score them",
  usage: "ppol simulate --domain D [--split S | --tasks IDS] [--trials K] [--personas FILE|RUN|suite:NAME] [--max-steps N] [--json]",
  description:
    "Each episode is one τ² conversation: the agent greets, the user simulator (with the persona block when\n" +
    "personas are given) answers, tool calls run on a fresh copy of the domain DB, and the τ² evaluator\n" +
    "scores it (DB, COMMUNICATE, NL assertions through the judge role). Every finished episode is stored at\n" +
    "once; Ctrl-C stops cleanly and `--resume RUN` continues without repeating finished episodes.\n" +
    "As in τ² and the PPol reference: the user simulator gets upstream's simulation_guidelines.md when the τ²\n" +
    "data has it (else ppol's paraphrase), user and agent run at temperature 0 unless their role sets one, and\n" +
    "an episode whose agent (or user) output cannot be parsed is re-run up to 5 times with the agent's\n" +
    "temperature raised 0, 0, 0.4, 0.7, 1.0; the failed attempts are stored with the episode, and an\n" +
    "episode that never parses is left out of the rewards.\n" +

    "The summary ends with the run's mean fingerprint (--cues); --out and that fingerprint keep the user\n" +
    "simulator's ###STOP### text, as the PPol reference does, unless --strip-control.",
  options: {
    domain: { type: "string", valueName: "D", description: "retail or airline" },
    split: { type: "string", valueName: "S", description: "task split: train, test, base (default test)" },
    tasks: { type: "string", valueName: "IDS", description: "comma-separated task ids (instead of --split)" },
    trials: { type: "string", valueName: "K", description: "trials per task and persona (default 1); pass^1..k is reported" },
    personas: { type: "string", valueName: "FILE|RUN|suite:NAME", description: "personas JSONL (ppol personas --out), a personas run id, or a shipped suite (ppol personas --suites); default: base simulator" },
    program: { type: "string", valueName: "FILE|seed:NAME", description: "generate the personas first with this generator program (seed:ppol, seed:dp, or a .py file)" },
    n: { type: "string", valueName: "N", description: "with --program: personas per task (default 5)" },
    ...UNSAFE_OPTION,
    "max-steps": { type: "string", valueName: "N", description: `orchestrator steps per episode (default ${TAU2_MAX_STEPS}, τ²'s runner; the PPol reference caps ${TRAIN_MAX_STEPS} for training batches, ${EVAL_MAX_STEPS} for validation and benchmarks)` },
    concurrency: { type: "string", valueName: "N", description: "episodes in flight (default [defaults].concurrency)" },
    "tool-schemas": { type: "string", valueName: "FILE|ppol", description: "the agent's OpenAI tool schemas: a file (e.g. upstream's dump) or ppol's own; default: the data folder's tool_schemas.json if any, else ppol's own" },
    "no-judge": { type: "boolean", description: "do not call the judge role: NL assertions are reported as not evaluated" },
    "fidelity-judge": { type: "boolean", description: "also ask the judge role which user turns pursue goals the scenario lacks" },
    "strict-tool-json": { type: "boolean", description: "re-run an episode when tool-call arguments needed any repair (τ²'s json.loads), not only when unreadable" },
    resume: { type: "string", valueName: "RUN", description: "continue a stopped run (same plan; finished episodes are kept)" },
    out: { type: "string", valueName: "FILE.jsonl", description: "also write the run's episodes in the JSONL interchange format" },
    ...STRIP_CONTROL_OPTION,
    ...CUES_OPTION,
    "max-tokens": { type: "string", valueName: "N", description: "stop starting LLM calls once this many tokens are used" },
    "max-cost": { type: "string", valueName: "USD", description: "stop once the priced cost reaches this (needs [llm.prices])" },
    ...JSON_OPTION,
  },
  examples: [
    "ppol simulate --domain airline --tau2-data ../tau2/domains --tasks 0,1,2 --max-steps 30",
    "ppol simulate --domain retail --split test --personas personas.jsonl --trials 4 --concurrency 16",
    "ppol simulate --domain airline --split test --program seed:ppol --n 5 --max-steps 30",
    "ppol simulate --domain retail --split test --personas suite:impatient --max-steps 30",
    "ppol simulate --resume sim-20261126-1203-ab12cd34",
  ],
  async run(ctx) {
    const cues = cueSetOf(ctx); // a bad --cues fails before any run exists
    const preparation = preparationOf(ctx);
    const store = ctx.store();
    const { config } = ctx.config();
    const now = () => new Date();
    const { runId, plan: runPlan, resumed, personasByTask } = await startOrResume(ctx);
    const domain = domainFromContext(ctx, runPlan.domain);
    if (resumed && domain.hashes.data !== runPlan.data_hash)
      throw new InputError(`run ${runId} used τ² data ${runPlan.data_hash.slice(0, 12)}, but ${domain.name} is now ${domain.hashes.data!.slice(0, 12)}`, "resume with the same --tau2-data, or start a new run");
    const tools = runTools(domain, runPlan, resumed ? runId : undefined);
    const userGuidelines = runGuidelines(domain, runPlan, resumed ? runId : undefined);
    const personas = personasByTask ? personasFor(runPlan.task_ids, personasByTask) : new Map();
    const plan = planEpisodes({ runId, taskIds: runPlan.task_ids, personas, trials: runPlan.trials, seed: config.defaults.seed });
    const done = finishedEpisodeIds(store, runId);

    const budget = { maxTokens: positiveFlag(ctx.values, "max-tokens"), maxCost: positiveFlag(ctx.values, "max-cost") };
    const llm = createLlm({ config, store, runId, env: ctx.env, budget });
    ctx.onExit(() => llm.close());
    const models = { agent: roleConfig(config, "agent").targets[0]!.model, user: roleConfig(config, "user").targets[0]!.model };
    const concurrency = intFlag(ctx.values, "concurrency", { fallback: config.defaults.concurrency, max: 1024 });

    // Rows already stored count as done (a resumed run) but not in the progress rate.
    const finished = listEpisodeSummaries(store, runId);
    const progress = new Progress({ label: "episodes", total: plan.length, alreadyDone: done.size, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !ctx.values.json });
    const result = await simulate({
      store,
      llm,
      runId,
      domain,
      tools: tools.schemas,
      userGuidelines,
      agentTemperature: roleConfig(config, "agent").temperature ?? 0,
      strictToolJson: runPlan.strict_tool_json,
      plan,
      done,
      maxSteps: runPlan.max_steps,
      concurrency,
      judge: runPlan.judge ? llmJudge(llm, { seed: config.defaults.seed }) : undefined,
      fidelityJudge: runPlan.fidelity_judge,
      models,
      signal: ctx.signal,
      now,
      onEpisode: (record) => {
        finished.push(asSummaryInput(record));
        const s = summarize(finished);
        const tokens = s.tokens.prompt + s.tokens.completion;
        progress.tick(1, `pass ${(s.pass_hat_k["1"] ?? 0).toFixed(2)} · ${formatTokens(tokens)} tokens · flags ${(100 * s.fidelity_flag_rate).toFixed(0)}%`);
      },
    });
    progress.finish();
    const summary = summarize(listEpisodeSummaries(store, runId));
    const status = result.abandoned ? "failed" : result.interrupted ? "interrupted" : "done";
    setRunStatus(store, runId, status, now());
    const outPath = str(ctx.values, "out");
    if (outPath) writeFileAtomic(resolvePath(ctx.cwd, outPath), toJsonl(listEpisodes(store, runId).map((e) => episodeToConversation(e, preparation))));
    const fingerprints = (runConversations(store, runId, preparation) ?? []).map((c) => fingerprint(userTurns(c), cues));
    const fp = { cue_version: cues.version, preparation, mean: fingerprints.length ? meanFeatures(fingerprints) : null };

    const provenance = { user_guidelines: { name: userGuidelines.name, sha256: userGuidelines.sha256 }, tool_schemas: { source: tools.source, sha256: tools.sha256 } };
    if (ctx.values.json) ctx.io.out(JSON.stringify({ run_id: runId, status, ...(result.abandoned ? { error: result.abandoned } : {}), ran: result.ran, skipped: result.skipped, planned: plan.length, ...provenance, summary, fingerprint: fp }, null, 2));
    else printSummary(ctx, runId, summary, result, plan.length, provenance, fp);
    if (result.budget) ctx.io.err(`ppol: LLM budget reached: ${result.budget.split("\n")[0]} — raise --max-tokens / --max-cost and continue with \`ppol simulate --resume ${runId}\``);
    if (result.abandoned) throw new PpolError(`run ${runId} stopped: ${result.abandoned}`, `check the server with \`ppol doctor\`, then continue with \`ppol simulate --resume ${runId}\``);
    return result.interrupted ? 1 : 0;
  },
});

/** The run to work on (new or resumed), its plan, and its personas read once (before a new run is created). */
async function startOrResume(ctx: CommandContext): Promise<{ runId: string; plan: z.infer<typeof RunPlan>; resumed: boolean; personasByTask?: Map<string, PersonaRef[]> }> {
  const readPersonas = (spec: string | null) => (spec ? readPersonaSource(ctx, spec) : undefined);
  const store = ctx.store();
  const resume = str(ctx.values, "resume");
  if (resume) {
    const run = getRun(store, resume);
    if (!run || run.kind !== "simulate") throw new InputError(`--resume ${resume}: no simulate run with that id in ${store.path}`, "list runs with `ppol archive info`");
    for (const flag of ["domain", "split", "tasks", "personas", "program", "n", "trials", "max-steps", "tool-schemas", "fidelity-judge", "strict-tool-json"]) {
      if (ctx.values[flag] !== undefined) throw new UsageError(`--resume keeps the run's plan: drop --${flag}`);
    }
    const plan = RunPlan.parse(JSON.parse(run.config_json).plan);
    return { runId: run.id, plan, resumed: true, personasByTask: readPersonas(plan.personas) };
  }
  const domain = domainFromContext(ctx, str(ctx.values, "domain"));
  let tasks = selectTasks(domain, { split: str(ctx.values, "split"), tasks: str(ctx.values, "tasks") });
  const schemaFile = str(ctx.values, "tool-schemas");
  const programArg = str(ctx.values, "program");
  if (programArg && ctx.values.personas !== undefined) throw new UsageError("give --personas or --program, not both");
  let personasSpec = str(ctx.values, "personas") ?? null;
  if (programArg) {
    // Personas first, as their own run; tasks whose generation failed are left out rather than run without a persona.
    const generated = await runPersonaGeneration(ctx, {
      domain: domain.name,
      tasks: tasks.map((t) => ({ id: t.id, context: taskContextText(t.user_scenario, domain.name) })),
      n: intFlag(ctx.values, "n", { fallback: 5, max: 50 }),
      program: readProgram(programArg, ctx.cwd),
      timeoutMs: 300_000,
      concurrency: 2,
      unsafe: ctx.values["unsafe-sandbox"] === true,
    });
    const failed = generated.results.filter((r) => !r.ok);
    for (const r of failed) ctx.io.err(`ppol: warning: task ${r.task_id} left out: persona generation failed (${r.error_kind ?? "invalid personas"}: ${(r.error ?? r.failures[0]?.error ?? "").split("\n")[0]})`);
    if (failed.length === tasks.length) throw new PpolError(`persona generation failed for every task (run ${generated.runId})`, "check the program with `ppol generator check` and the generator role's model");
    tasks = tasks.filter((t) => !failed.some((f) => f.task_id === t.id));
    personasSpec = generated.runId;
  }
  const schemaChoice = schemaFile === "ppol" ? "ppol" : schemaFile ? resolve(ctx.cwd, schemaFile) : null;
  const tools = agentTools(domain, schemaChoice === null || schemaChoice === "ppol" ? (schemaChoice ?? undefined) : readSchemaFile(schemaChoice));
  const guidelines = userGuidelinesFor(domain);
  const plan: RunPlan = {
    domain: domain.name,
    task_ids: tasks.map((t) => t.id),
    personas: personasSpec,
    trials: intFlag(ctx.values, "trials", { fallback: 1, max: 1000 }),
    max_steps: intFlag(ctx.values, "max-steps", { fallback: TAU2_MAX_STEPS, max: 100_000 }),
    judge: ctx.values["no-judge"] !== true,
    fidelity_judge: ctx.values["fidelity-judge"] === true,
    strict_tool_json: ctx.values["strict-tool-json"] === true,
    tool_schemas: schemaChoice,
    tool_schemas_sha256: tools.sha256,
    user_guidelines: { name: guidelines.name, sha256: guidelines.sha256 },
    data_hash: domain.hashes.data!,
  };
  const personasByTask = readPersonas(plan.personas); // a bad file fails before the run exists
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 13);
  const runId = `sim-${stamp}-${randomUUID().slice(0, 8)}`;
  const { config, sources } = ctx.config();
  createRun(store, { id: runId, kind: "simulate", config: { plan, config, sources }, seed: config.defaults.seed, version: versionInfo().ppol, now: new Date() });
  return { runId, plan, resumed: false, personasByTask };
}

function readSchemaFile(path: string): { text: string; path: string } {
  try {
    return { text: readFileSync(path, "utf8"), path };
  } catch (e) {
    throw new InputError(`--tool-schemas ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, "pass a JSON file of OpenAI tool schemas, or `ppol` for ppol's own");
  }
}

/** The tool schemas a run uses; a resumed run must find the very same ones. */
function runTools(domain: Domain, plan: RunPlan, resumedRun?: string): AgentTools {
  // A run that used ppol's own schemas keeps them even if the data has gained a schema file since.
  const own = plan.tool_schemas === "ppol" || (plan.tool_schemas === null && plan.tool_schemas_sha256 === null);
  const choice = own ? "ppol" : plan.tool_schemas ? readSchemaFile(plan.tool_schemas) : undefined;
  const tools = agentTools(domain, choice);
  if (resumedRun && plan.tool_schemas_sha256 !== undefined && tools.sha256 !== plan.tool_schemas_sha256)
    throw new InputError(`run ${resumedRun} used tool schemas ${plan.tool_schemas_sha256?.slice(0, 12) ?? "ppol"}, but ${tools.source} is now ${tools.sha256?.slice(0, 12) ?? "ppol"}`, "resume with the same τ² data and schema file, or start a new run");
  return tools;
}

/** The user-simulator guidelines a run uses: what it recorded (older runs: ppol's paraphrase), else the data's. */
function runGuidelines(domain: Domain, plan: RunPlan, resumedRun?: string): UserGuidelines {
  const available = userGuidelinesFor(domain);
  if (!resumedRun) return available;
  const recorded = plan.user_guidelines ?? PPOL_USER_GUIDELINES;
  if (recorded.sha256 === available.sha256) return available;
  if (recorded.sha256 === PPOL_USER_GUIDELINES.sha256) return PPOL_USER_GUIDELINES;
  throw new InputError(`run ${resumedRun} gave the user simulator ${recorded.name} (sha256 ${recorded.sha256.slice(0, 12)}), which the τ² data no longer has`, "resume with the same τ² data (and its user_simulator/ folder), or start a new run");
}

function asSummaryInput(e: EpisodeRecord) {
  return { task_id: e.task_id, persona_key: e.persona_key, reward: e.reward, termination: e.termination, user_turns: e.user_turns, fidelity_flags: e.fidelity.length, prompt_tokens: e.prompt_tokens, completion_tokens: e.completion_tokens };
}

function printSummary(
  ctx: CommandContext,
  runId: string,
  s: RunSummary,
  r: { ran: number; skipped: number; interrupted: boolean },
  planned: number,
  p: { user_guidelines: { name: string; sha256: string }; tool_schemas: { source: string; sha256: string | null } },
  fp: { cue_version: string; preparation: string; mean: Features | null },
) {
  const out = ctx.io.out;
  out(`run ${runId}: ${r.ran} episodes run, ${r.skipped} already done, ${planned} planned${r.interrupted ? " — INTERRUPTED (continue with --resume " + runId + ")" : ""}`);
  out(`  user simulator ${p.user_guidelines.name} (sha256 ${p.user_guidelines.sha256.slice(0, 12)}) · tool schemas ${p.tool_schemas.source}${p.tool_schemas.sha256 ? ` (sha256 ${p.tool_schemas.sha256.slice(0, 12)})` : ""}`);
  out(`  tasks ${s.tasks} · episodes ${s.episodes} · avg reward ${s.avg_reward.toFixed(3)} · avg user turns ${s.avg_user_turns.toFixed(1)}`);
  out(`  ${Object.entries(s.pass_hat_k).map(([k, v]) => `pass^${k} ${v.toFixed(3)}`).join(" · ") || "pass^k: no scored episodes"}`);
  out(`  terminations: ${Object.entries(s.terminations).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  out(`  goal-fidelity flags: ${(100 * s.fidelity_flag_rate).toFixed(1)}% of episodes · tokens ${formatTokens(s.tokens.prompt)} in / ${formatTokens(s.tokens.completion)} out`);
  const personas = Object.entries(s.fidelity_by_persona);
  if (personas.length > 1) out(`  flags by persona: ${personas.map(([k, v]) => `${k} ${(100 * v.flag_rate).toFixed(0)}% (${v.episodes})`).join(", ")}`);
  if (s.excluded.infrastructure_error || s.excluded.not_evaluated || s.excluded.unparseable)
    out(
      `  excluded from rewards: ${s.excluded.infrastructure_error} infrastructure errors (retried by --resume), ${s.excluded.not_evaluated} not evaluated (no judge), ${s.excluded.unparseable} unparseable after every attempt`,
    );
  const m = fp.mean;
  if (!m) return;
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  out(`  user fingerprint (${fp.cue_version}, ${fp.preparation}): ${m.words_per_turn.toFixed(1)} words/turn · short ${pct(m.short_utterance_rate)} · polite ${pct(m.politeness_rate)} · ack ${pct(m.acknowledgment_rate)} · uncertain ${pct(m.uncertainty_rate)} · pushback ${pct(m.pushback_rate)} · emotional ${pct(m.emotional_expression_rate)}`);
}
