/**
 * Successful episodes as supervised fine-tuning data for the AGENT, in two documented shapes:
 *
 * - LLaMA-Factory "sharegpt" with tools: `{conversations: [{from, value}], system, tools}` where `from` is
 *   human | gpt | function_call | observation, human/observation at odd positions (1st, 3rd, …) and
 *   gpt/function_call at even ones; a function_call value is the JSON text `{"name", "arguments"}`; tools is
 *   the JSON text of the function list. Parallel calls are split into call → observation pairs (one call per
 *   turn is all the alternation allows), the fixed agent greeting is dropped (the conversation must open with
 *   the human), text the agent wrote beside its tool calls is dropped (function_call holds the call only).
 * - OpenAI chat fine-tuning JSONL: `{messages, tools, parallel_tool_calls}` with assistant `tool_calls`
 *   ({id, type: "function", function: {name, arguments: JSON text}}) answered by `tool` messages carrying
 *   `tool_call_id`. Parallel calls stay in one assistant message (the format allows it; the flag says so).
 *   The fixed greeting is kept with `weight: 0` (context, not a training target).
 *
 * Both: reasoning blocks (`<think>…</think>`) are stripped from agent text, and the conversation ends at the
 * agent's last text reply (the user's closing turn, e.g. ###STOP###, has nothing to learn after it). Pure.
 */
import { stripThink } from "../../llm/index.ts";
import type { EpisodeMessage } from "../../model/index.ts";
import type { ToolSchema } from "../../tau2/index.ts";

export interface SftContext {
  /** The agent's system prompt (its policy), as it saw it. */
  system: string;
  /** The tool schemas the agent was shown. */
  tools: readonly ToolSchema[];
}

export interface ShareGptTurn {
  from: "human" | "gpt" | "function_call" | "observation";
  value: string;
}
export interface ShareGptRecord {
  conversations: ShareGptTurn[];
  system: string;
  tools: string;
}

export type OpenAiMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; weight?: 0 | 1 }
  | { role: "assistant"; content?: string; tool_calls: { id: string; type: "function"; function: { name: string; arguments: string } }[] }
  | { role: "tool"; tool_call_id: string; content: string };
export interface OpenAiRecord {
  messages: OpenAiMessage[];
  tools: ToolSchema[];
  parallel_tool_calls: boolean;
}

/** Why an episode could not be converted (counted in the dataset card). */
export type SkipReason = "no agent reply" | "turns do not alternate";

const agentText = (content: string | null) => stripThink(content ?? "").text.trim();

type Assistant = Extract<EpisodeMessage, { role: "assistant" }>;
type ToolResult = Extract<EpisodeMessage, { role: "tool" }>;

/** The tool results answering `m`'s calls, from the tool messages right after it, in call order. */
function resultsFor(messages: readonly EpisodeMessage[], at: number): Map<string, ToolResult> {
  const out = new Map<string, ToolResult>();
  for (let i = at + 1; i < messages.length && messages[i]!.role === "tool"; i++) {
    const t = messages[i] as ToolResult;
    out.set(t.toolCallId, t);
  }
  return out;
}

const isGreeting = (messages: readonly EpisodeMessage[], i: number) => messages[i]!.role === "assistant" && !messages.slice(0, i).some((m) => m.role === "user");

export function toShareGpt(messages: readonly EpisodeMessage[], ctx: SftContext): ShareGptRecord | SkipReason {
  const turns: ShareGptTurn[] = [];
  messages.forEach((m, i) => {
    if (m.role === "user") turns.push({ from: "human", value: m.content });
    if (m.role !== "assistant" || isGreeting(messages, i)) return;
    const calls = (m as Assistant).toolCalls ?? [];
    if (!calls.length) return void turns.push({ from: "gpt", value: agentText(m.content) });
    const results = resultsFor(messages, i);
    for (const c of calls) {
      const result = results.get(c.id);
      if (!result) break; // the episode ended before this call ran: nothing true to pair it with
      turns.push({ from: "function_call", value: JSON.stringify({ name: c.name, arguments: c.arguments }) });
      turns.push({ from: "observation", value: result.content });
    }
  });
  const last = turns.findLastIndex((t) => t.from === "gpt");
  if (last < 0) return "no agent reply";
  const conversations = turns.slice(0, last + 1);
  const odd = new Set(["human", "observation"]);
  const ok = conversations.every((t, i) => (i % 2 === 0) === odd.has(t.from) && (t.from !== "observation" || conversations[i - 1]?.from === "function_call"));
  if (!ok) return "turns do not alternate";
  return { conversations, system: ctx.system, tools: JSON.stringify(ctx.tools.map((t) => t.function)) };
}

export function toOpenAiChat(messages: readonly EpisodeMessage[], ctx: SftContext): OpenAiRecord | SkipReason {
  const out: OpenAiMessage[] = [{ role: "system", content: ctx.system }];
  let parallel = false;
  messages.forEach((m, i) => {
    if (m.role === "user") out.push({ role: "user", content: m.content });
    else if (m.role === "tool") out.push({ role: "tool", tool_call_id: m.toolCallId, content: m.content });
    else if (isGreeting(messages, i) && !m.toolCalls?.length) out.push({ role: "assistant", content: m.content ?? "", weight: 0 });
    else if (m.toolCalls?.length) {
      parallel ||= m.toolCalls.length > 1;
      const text = agentText(m.content);
      out.push({
        role: "assistant",
        ...(text ? { content: text } : {}),
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } })),
      });
    } else out.push({ role: "assistant", content: agentText(m.content) });
  });
  const last = out.findLastIndex((m) => m.role === "assistant" && !("tool_calls" in m) && !("weight" in m));
  if (last < 0) return "no agent reply";
  return { messages: out.slice(0, last + 1), tools: [...ctx.tools], parallel_tool_calls: parallel };
}
