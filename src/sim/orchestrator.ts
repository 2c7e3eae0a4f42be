import { BudgetExhausted, type ChatMessage, type Llm, type ToolSpec } from "../llm/index.ts";
import type { EpisodeMessage, EpisodeOutcome, Termination } from "./episode.ts";
import { AGENT_GREETING, stopTokenIn } from "./prompts.ts";

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
  /** τ² default 200; PPol uses 20 for training, 30 for validation and benchmark. */
  maxSteps: number;
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
        messages.push({ role: "user", content: reply.content, turn: turn() });
        const token = stopTokenIn(reply.content);
        if (token) {
          termination = "user_stop";
          stopToken = token;
        }
        to = "agent";
      } else if (to === "agent") {
        const reply = await chat("agent", { messages: agentView(spec.agentSystemPrompt, messages), tools: spec.env.tools, toolChoice: "auto" });
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
  return { messages, termination, stopToken, steps, toolErrors, error, usage, ms: now() - started };
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
