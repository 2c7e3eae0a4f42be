import { BudgetExhausted, type ChatMessage, type ChatResult, type Llm, type ToolSpec } from "../llm/index.ts";
import type { EpisodeMessage, Termination, Unparseable } from "../model/index.ts";
import type { EpisodeOutcome } from "./episode.ts";
import { AGENT_GREETING, stopTokenIn } from "./prompts.ts";

/** Orchestrator step caps: τ²'s runner default, and the PPol reference's for training batches and for validation/benchmarks. */
export const TAU2_MAX_STEPS = 200;
export const TRAIN_MAX_STEPS = 20;
export const EVAL_MAX_STEPS = 30;

/** What the orchestrator needs from a τ² environment: tool schemas and in-order execution. */
export interface EpisodeEnvironment {
  tools: ToolSpec[];
  execute(name: string, args: Record<string, unknown>): { content: string; error: boolean };
}

export interface EpisodeSpec {
  llm: Llm;
  env: EpisodeEnvironment;
  agentSystemPrompt: string;
  userSystemPrompt: string;
  /** τ² default 200 (TAU2_MAX_STEPS); PPol uses 20 for training, 30 for validation and benchmark. */
  maxSteps: number;
  /** Temperature of the agent's calls (retries raise it); left out, the agent role's own. */
  agentTemperature?: number;
  /** Tool-call arguments the LLM layer had to repair count as unparseable, as τ²'s json.loads would have it. */
  strictToolJson?: boolean;
  maxErrors?: number;
  /** Passed to both LLMs (τ² derives one per trial). */
  seed?: number;
  /** Distinguishes otherwise identical requests of different episodes in the LLM cache. */
  sample?: number;
  signal?: AbortSignal;
  clock?: () => number;
}

type Party = "agent" | "user" | "env";

/**
 * One τ² conversation, half-duplex: the agent greets, then each step moves one message
 * (user ↔ agent, agent → environment → agent). Termination is checked after each step except while a
 * message is on its way to the environment, exactly like τ²'s Orchestrator.
 */
export async function runEpisode(spec: EpisodeSpec): Promise<EpisodeOutcome> {
  const now = spec.clock ?? (() => performance.now());
  const started = now();
  const maxErrors = spec.maxErrors ?? 10;
  const messages: EpisodeMessage[] = [{ role: "assistant", content: AGENT_GREETING, turn: 0 }];
  const usage = { calls: 0, promptTokens: 0, completionTokens: 0 };
  let to: Party = "user";
  let steps = 0;
  let toolErrors = 0;
  let termination: Termination | undefined;
  let stopToken: string | undefined;
  let error: string | undefined;
  let unparseable: Unparseable | undefined;
  const turn = () => messages.length;

  const chat = async (role: "agent" | "user", request: Parameters<Llm["chat"]>[1]) => {
    const result = await spec.llm.chat(role, { ...request, seed: spec.seed, sample: spec.sample });
    usage.calls++;
    usage.promptTokens += result.usage.promptTokens;
    usage.completionTokens += result.usage.completionTokens;
    return result;
  };

  try {
    while (!termination) {
      if (spec.signal?.aborted) {
        termination = "interrupted";
        break;
      }
      if (to === "user") {
        const reply = await chat("user", { messages: userView(spec.userSystemPrompt, messages) });
        // τ² refuses an empty user message (ValueError): the attempt ends here, without it.
        if (!reply.content.trim()) {
          unparseable = { party: "user", reason: "empty message", turn: turn() };
          termination = "user_error";
          break;
        }
        messages.push({ role: "user", content: reply.content, turn: turn() });
        const token = stopTokenIn(reply.content);
        if (token) {
          termination = "user_stop";
          stopToken = token;
        }
        to = "agent";
      } else if (to === "agent") {
        const reply = await chat("agent", { messages: agentView(spec.agentSystemPrompt, messages), tools: spec.env.tools, toolChoice: "auto", temperature: spec.agentTemperature });
        const reason = unparseableAgentReply(reply, { strict: spec.strictToolJson });
        if (reason) {
          unparseable = { party: "agent", reason, turn: turn() };
          termination = "agent_error";
          break;
        }
        const toolCalls = reply.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments }));
        messages.push({ role: "assistant", content: reply.content || null, ...(toolCalls.length ? { toolCalls } : {}), turn: turn() });
        // A message with tool calls goes to the environment, even if it also has text.
        to = toolCalls.length ? "env" : "user";
      } else {
        const last = messages.at(-1);
        for (const call of last?.role === "assistant" ? (last.toolCalls ?? []) : []) {
          const result = spec.env.execute(call.name, call.arguments);
          if (result.error) toolErrors++;
          messages.push({ role: "tool", content: result.content, toolCallId: call.id, name: call.name, error: result.error, turn: turn() });
        }
        to = "agent";
      }
      steps++;
      if (termination || to === "env") continue;
      if (steps >= spec.maxSteps) termination = "max_steps";
      else if (toolErrors >= maxErrors) termination = "too_many_errors";
    }
  } catch (e) {
    // A spent budget is a deliberate stop, not a failure: the episode is redone by --resume.
    termination = e instanceof BudgetExhausted ? "interrupted" : "infrastructure_error";
    error = (e as Error).message;
  }
  return { messages, termination: termination!, stopToken, steps, toolErrors, error, unparseable, usage, ms: now() - started };
}

// Wording of the LLM layer's repairs (src/llm/repair.ts): what no repair could read, and any repair of arguments.
const UNREADABLE = [/^tool call \d+ without a function name/, /^arguments of .+ unreadable/];
const REPAIRED_ARGUMENTS = /^arguments of /;

/**
 * Why τ² could not take this agent answer, or undefined. τ² raises a ValueError (and the PPol reference
 * re-runs the episode) when tool-call arguments are not JSON (json.loads), a tool call has no name, or
 * the message has neither text nor tool calls. ppol's LLM layer first repairs what it can (fences,
 * trailing commas, tool calls written as text); what stays unreadable counts here, and with `strict` also
 * arguments that needed any repair (τ²'s json.loads would have refused them).
 */
export function unparseableAgentReply(reply: Pick<ChatResult, "content" | "toolCalls" | "repairs">, opts: { strict?: boolean } = {}): string | undefined {
  const unreadable = reply.repairs.find((r) => UNREADABLE.some((re) => re.test(r)) || (opts.strict === true && REPAIRED_ARGUMENTS.test(r)));
  if (unreadable) return unreadable;
  if (!reply.toolCalls.length && !reply.content.trim()) return "empty message: no text and no tool calls";
  return undefined;
}

/** The simulator sees the agent's text as "user" and its own turns as "assistant"; never tools. */
export function userView(system: string, messages: EpisodeMessage[]): ChatMessage[] {
  const view: ChatMessage[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "assistant" && !m.toolCalls?.length) view.push({ role: "user", content: m.content ?? "" });
    else if (m.role === "user") view.push({ role: "assistant", content: m.content });
  }
  return view;
}

/** The agent sees everything: its policy, the user's turns, its own tool calls and their results. */
export function agentView(system: string, messages: EpisodeMessage[]): ChatMessage[] {
  const view: ChatMessage[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "user") view.push({ role: "user", content: m.content });
    else if (m.role === "assistant") view.push({ role: "assistant", content: m.content, ...(m.toolCalls?.length ? { toolCalls: m.toolCalls } : {}) });
    else view.push({ role: "tool", content: m.content, toolCallId: m.toolCallId, name: m.name });
  }
  return view;
}
