import { episodeToConversation, runConversations, toJsonl } from "../conversations/index.ts";
import { PpolError, UsageError } from "../errors.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { type Features, fingerprint, meanFeatures } from "../fitness/index.ts";
import { userTurns } from "../model/index.ts";
import { loadProgram } from "../personas/index.ts";
import {
  EVAL_MAX_STEPS,
  readToolSchemaFile,
  resumeRun,
  type RunSummary,
  type SimRunResult,
  startRun,
  TAU2_MAX_STEPS,
  TRAIN_MAX_STEPS,
} from "../sim/index.ts";
import { listEpisodes } from "../store/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str, UNSAFE_OPTION, type CommandContext } from "./command.ts";
import { CUES_OPTION, cueSetOf, preparationOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";
import { formatTokens } from "./format.ts";
import { Progress } from "./progress.ts";
import { simRunDeps } from "./stage-deps.ts";
import { domainFromContext, selectTasks } from "./tau2-args.ts";

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
    const json = ctx.values.json === true;
    // Progress lines appear once the stage knows how much work there is (a resume counts what is done).
    const line = (label: string, total: number, alreadyDone: number) => new Progress({ label, total, alreadyDone, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !json });
    let episodes: Progress | undefined;
    let personas: Progress | undefined;
    const deps = simRunDeps(ctx, {
      concurrency: intFlag(ctx.values, "concurrency", { fallback: ctx.config().config.defaults.concurrency, max: 1024 }),
      onPersonaTask: (r, done, total) => (personas ??= line("personas", total, done - 1)).tick(1, `last ${r.task_id} ${r.ok ? "ok" : "FAILED"}`),
      onPlanned: ({ planned, done }) => {
        personas?.finish();
        personas = undefined;
        episodes = line("episodes", planned, done);
      },
      onEpisode: (_record, s) => {
        const tokens = s.tokens.prompt + s.tokens.completion;
        episodes?.tick(1, `pass ${(s.pass_hat_k["1"] ?? 0).toFixed(2)} · ${formatTokens(tokens)} tokens · flags ${(100 * s.fidelity_flag_rate).toFixed(0)}%`);
      },
    });
    const resume = str(ctx.values, "resume");
    let result: SimRunResult;
    if (resume) {
      for (const flag of ["domain", "split", "tasks", "personas", "program", "n", "trials", "max-steps", "tool-schemas", "fidelity-judge", "strict-tool-json", "no-judge"]) {
        if (ctx.values[flag] !== undefined) throw new UsageError(`--resume keeps the run's plan: drop --${flag}`);
      }
      result = await resumeRun(deps, resume);
    } else {
      const domain = domainFromContext(ctx, str(ctx.values, "domain"));
      const programArg = str(ctx.values, "program");
      if (programArg && ctx.values.personas !== undefined) throw new UsageError("give --personas or --program, not both");
      const schemas = str(ctx.values, "tool-schemas");
      result = await startRun(deps, {
          domain,
          taskIds: selectTasks(domain, { split: str(ctx.values, "split"), tasks: str(ctx.values, "tasks") }).map((t) => t.id),
          personas: str(ctx.values, "personas") ?? null,
          ...(programArg
            ? { program: { program: loadProgram(programArg, ctx.cwd), n: intFlag(ctx.values, "n", { fallback: 5, max: 50 }), timeoutMs: 300_000, concurrency: 2, unsafe: ctx.values["unsafe-sandbox"] === true } }
            : {}),
          trials: intFlag(ctx.values, "trials", { fallback: 1, max: 1000 }),
          maxSteps: intFlag(ctx.values, "max-steps", { fallback: TAU2_MAX_STEPS, max: 100_000 }),
          judge: ctx.values["no-judge"] !== true,
          fidelityJudge: ctx.values["fidelity-judge"] === true,
          strictToolJson: ctx.values["strict-tool-json"] === true,
          toolSchemas: schemas === "ppol" ? "ppol" : schemas ? readToolSchemaFile(resolvePath(ctx.cwd, schemas)) : undefined,
        });
    }
    personas?.finish();
    episodes?.finish();
    const { runId } = result;
    for (const l of result.leftOut) ctx.io.err(`ppol: warning: task ${l.taskId} left out: persona generation failed (${l.reason})`);
    const store = ctx.store();
    const outPath = str(ctx.values, "out");
    if (outPath) writeFileAtomic(resolvePath(ctx.cwd, outPath), toJsonl(listEpisodes(store, runId).map((e) => episodeToConversation(e, preparation))));
    const fingerprints = (runConversations(store, runId, preparation) ?? []).map((c) => fingerprint(userTurns(c), cues));
    const fp = { cue_version: cues.version, preparation, mean: fingerprints.length ? meanFeatures(fingerprints) : null };
    const provenance = { user_guidelines: result.userGuidelines, tool_schemas: result.tools };
    if (json) ctx.io.out(JSON.stringify({ run_id: runId, status: result.status, ...(result.abandoned ? { error: result.abandoned } : {}), ran: result.ran, skipped: result.skipped, planned: result.planned, ...provenance, summary: result.summary, fingerprint: fp }, null, 2));
    else printSummary(ctx, result, provenance, fp);
    if (result.budget) ctx.io.err(`ppol: LLM budget reached: ${result.budget.split("\n")[0]} — raise --max-tokens / --max-cost and continue with \`ppol simulate --resume ${runId}\``);
    if (result.abandoned) throw new PpolError(`run ${runId} stopped: ${result.abandoned}`, `check the server with \`ppol doctor\`, then continue with \`ppol simulate --resume ${runId}\``);
    return result.status === "interrupted" ? 1 : 0;
  },
});

function printSummary(
  ctx: CommandContext,
  r: SimRunResult,
  p: { user_guidelines: { name: string; sha256: string }; tool_schemas: { source: string; sha256: string | null } },
  fp: { cue_version: string; preparation: string; mean: Features | null },
) {
  const out = ctx.io.out;
  const s: RunSummary = r.summary;
  out(`run ${r.runId}: ${r.ran} episodes run, ${r.skipped} already done, ${r.planned} planned${r.status === "interrupted" ? " — INTERRUPTED (continue with --resume " + r.runId + ")" : ""}`);
  out(`  user simulator ${p.user_guidelines.name} (sha256 ${p.user_guidelines.sha256.slice(0, 12)}) · tool schemas ${p.tool_schemas.source}${p.tool_schemas.sha256 ? ` (sha256 ${p.tool_schemas.sha256.slice(0, 12)})` : ""}`);
  out(`  tasks ${s.tasks} · episodes ${s.episodes} · avg reward ${s.avg_reward.toFixed(3)} · avg user turns ${s.avg_user_turns.toFixed(1)}`);
  out(`  ${Object.entries(s.pass_hat_k).map(([k, v]) => `pass^${k} ${v.toFixed(3)}`).join(" · ") || "pass^k: no scored episodes"}`);
  out(`  terminations: ${Object.entries(s.terminations).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}`);
  out(`  goal-fidelity flags: ${(100 * s.fidelity_flag_rate).toFixed(1)}% of episodes · tokens ${formatTokens(s.tokens.prompt)} in / ${formatTokens(s.tokens.completion)} out`);
  const personas = Object.entries(s.fidelity_by_persona);
  if (personas.length > 1) out(`  flags by persona: ${personas.map(([k, v]) => `${k} ${(100 * v.flag_rate).toFixed(0)}% (${v.episodes})`).join(", ")}`);
  const x = s.excluded;
  if (x.infrastructure_error || x.not_evaluated || x.evaluation_failed || x.unparseable)
    out(
      `  excluded from rewards: ${x.infrastructure_error} infrastructure errors and ${x.evaluation_failed} failed evaluations (both redone by --resume), ${x.not_evaluated} not evaluated (no judge), ${x.unparseable} unparseable after every attempt`,
    );
  const m = fp.mean;
  if (!m) return;
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
  out(`  user fingerprint (${fp.cue_version}, ${fp.preparation}): ${m.words_per_turn.toFixed(1)} words/turn · short ${pct(m.short_utterance_rate)} · polite ${pct(m.politeness_rate)} · ack ${pct(m.acknowledgment_rate)} · uncertain ${pct(m.uncertainty_rate)} · pushback ${pct(m.pushback_rate)} · emotional ${pct(m.emotional_expression_rate)}`);
}
