import type { Llm } from "../llm/index.ts";
import { type EpisodeRecord, insertEpisode, type Store } from "../store/index.ts";
import { createEnvironment, evaluateEpisode, renderScenario, type Domain, type NlJudge, type Task, type ToolSchema, type UserScenario } from "../tau2/index.ts";
import { runEpisodeAttempts } from "./attempts.ts";
import type { EpisodeMessage } from "../model/index.ts";
import { checkFidelity } from "./fidelity.ts";
import { judgeNewGoals, mergeFlags } from "./fidelity-judge.ts";
import { runPool } from "../pool.ts";
import type { PlannedEpisode } from "./plan.ts";
import { agentSystemPrompt, type UserGuidelines, userSystemPrompt } from "./prompts.ts";

export interface SimulateOptions {
  store: Store;
  llm: Llm;
  runId: string;
  domain: Domain;
  tools: ToolSchema[];
  /** What the user simulator is told before the scenario (userGuidelinesFor(domain) unless chosen otherwise). */
  userGuidelines: UserGuidelines;
  /** The agent role's temperature (0 by default); retries of unparseable episodes raise it from there. */
  agentTemperature?: number;
  /** Count repaired tool-call JSON as unparseable (τ²'s json.loads); default: only what no repair could read. */
  strictToolJson?: boolean;
  plan: readonly PlannedEpisode[];
  /** Ids already in the archive (resume): skipped. */
  done: ReadonlySet<string>;
  maxSteps: number;
  concurrency: number;
  judge?: NlJudge;
  /** Also ask the judge role for goals the scenario lacks (the optional half of the fidelity check). */
  fidelityJudge?: boolean;
  models: { agent: string; user: string };
  signal?: AbortSignal;
  now: () => Date;
  onEpisode?: (record: EpisodeRecord) => void;
}

/**
 * Run every planned episode not yet done: converse, score with the τ² evaluator, check goal fidelity,
 * and store each finished episode in one transaction. Interrupted episodes are not stored, so a resumed
 * run redoes exactly those.
 */
export async function simulate(opts: SimulateOptions): Promise<{ ran: number; skipped: number; interrupted: boolean; abandoned?: string; budget?: string }> {
  const tasks = new Map(opts.domain.tasks.map((t) => [t.id, t]));
  const todo = opts.plan.filter((p) => !opts.done.has(p.id));
  // Stop early when the model server is plainly unusable, instead of failing every planned episode.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  let abandoned: string | undefined;
  let budget: string | undefined;
  let failuresInARow = 0;
  let ran = 0;
  await runPool(
    todo,
    opts.concurrency,
    async (planned) => {
      const record = await runOne({ ...opts, signal }, tasks.get(planned.taskId)!, planned);
      if (typeof record === "string") {
        budget ??= record;
        stop.abort();
        return;
      }
      if (!record) return;
      insertEpisode(opts.store, record);
      ran++;
      opts.onEpisode?.(record);
      failuresInARow = record.termination === "infrastructure_error" ? failuresInARow + 1 : 0;
      if (failuresInARow >= MAX_INFRASTRUCTURE_FAILURES_IN_A_ROW && !abandoned) {
        abandoned = `${failuresInARow} episodes in a row failed on the LLM server; last error: ${record.error ?? "unknown"}`;
        stop.abort();
      }
    },
    signal,
  );
  return { ran, skipped: opts.plan.length - todo.length, interrupted: opts.signal?.aborted === true || budget !== undefined, abandoned, budget };
}

/** Consecutive infrastructure failures after which a run stops (they are retried by --resume). */
export const MAX_INFRASTRUCTURE_FAILURES_IN_A_ROW = 3;

/** The finished episode; undefined when interrupted; the budget message when the LLM budget ran out. */
async function runOne(opts: SimulateOptions, task: Task, planned: PlannedEpisode): Promise<EpisodeRecord | string | undefined> {
  const scenario: UserScenario = task.user_scenario;
  // Each attempt starts from a fresh copy of the DB.
  const outcome = await runEpisodeAttempts(
    {
      llm: opts.llm,
      env: () => {
        const env = createEnvironment(opts.domain);
        return { tools: opts.tools, execute: (name, args) => env.call(name, args) };
      },
      agentSystemPrompt: agentSystemPrompt(opts.domain.policy),
      userSystemPrompt: userSystemPrompt(opts.userGuidelines.text, scenario, planned.persona.text),
      maxSteps: opts.maxSteps,
      strictToolJson: opts.strictToolJson,
      seed: planned.seed,
      sample: planned.ordinal,
      signal: opts.signal,
    },
    { baseTemperature: opts.agentTemperature },
  );
  if (outcome.termination === "interrupted") return outcome.error;
  // A failed evaluation (e.g. the judge's call failed for good) is recorded as such and redone by --resume.
  const failures: string[] = [];
  const evaluation: { reward: number | null } = await evaluateEpisode({
    domain: opts.domain,
    task,
    messages: outcome.messages.map(trajectoryMessage),
    termination: outcome.termination,
    judge: opts.judge,
  }).catch((error: Error) => (failures.push(`evaluation failed: ${error.message}`), { reward: null, error: `evaluation failed: ${error.message}` }));
  // What the user saw and said, index-aligned with the trajectory (tool traffic is invisible to it).
  const dialogue = outcome.messages.map((m) => (m.role === "user" ? m : m.role === "assistant" && !m.toolCalls?.length ? { role: "assistant", content: m.content ?? "" } : { role: "hidden", content: "" }));
  const scenarioText = renderScenario(scenario);
  let fidelity = checkFidelity({ scenario: scenarioText, messages: dialogue });
  if (opts.fidelityJudge && outcome.termination !== "infrastructure_error") {
    try {
      fidelity = mergeFlags(fidelity, await judgeNewGoals(opts.llm, { scenario: scenarioText, messages: dialogue, seed: planned.seed }));
    } catch (error) {
      failures.push(`fidelity judge failed: ${(error as Error).message}`);
    }
  }
  const status = failures.length ? "failed" : evaluation.reward === null && outcome.termination !== "infrastructure_error" ? "not_evaluated" : "evaluated";
  return {
    id: planned.id,
    run_id: opts.runId,
    ordinal: planned.ordinal,
    domain: opts.domain.name,
    task_id: task.id,
    trial: planned.trial,
    persona_key: planned.persona.key,
    persona_text: planned.persona.text,
    seed: planned.seed,
    agent_model: opts.models.agent,
    user_model: opts.models.user,
    termination: outcome.termination,
    reward: evaluation.reward,
    reward_info: evaluation as Record<string, unknown>,
    steps: outcome.steps,
    tool_errors: outcome.toolErrors,
    user_turns: outcome.messages.filter((m) => m.role === "user").length,
    messages: outcome.messages,
    fidelity,
    llm_calls: outcome.usage.calls,
    prompt_tokens: outcome.usage.promptTokens,
    completion_tokens: outcome.usage.completionTokens,
    error: outcome.error ?? (outcome.unparseable ? `${outcome.unparseable.party} output unparseable after ${outcome.retries.length} attempts: ${outcome.unparseable.reason}` : failures.join("; ") || null),
    evaluation: status,
    retries: outcome.retries,
    user_guidelines_sha256: opts.userGuidelines.sha256,
    ms: outcome.ms,
    created_at: opts.now().toISOString(),
  };
}

function trajectoryMessage(m: EpisodeMessage) {
  if (m.role === "assistant") return { role: "assistant" as const, content: m.content, toolCalls: m.toolCalls?.map((c) => ({ name: c.name, arguments: c.arguments })) };
  return { role: m.role, content: m.content };
}
