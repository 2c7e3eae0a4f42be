/**
 * Pure normalisation of what local servers send back: JSON with code fences, trailing commas or cut off
 * (jsonrepair), tool-call arguments as a string or an object, tool calls written as JSON inside `content`
 * (Qwen/Hermes `<tool_call>` tags, Llama `<|python_tag|>`, bare `{"name", "arguments"|"parameters"}`),
 * missing tool-call ids, `<think>` blocks, and finish reasons that disagree with the tool calls.
 * Every fix is named in `repairs` so it shows up in the archive instead of being silent.
 */
import { jsonrepair } from "jsonrepair";
import type { FinishReason, StoredResponse, ToolCall, WireMessage, WireToolCall } from "./schema.ts";

const THINK = /<think>[\s\S]*?(<\/think>|$)/g;

/** Remove reasoning blocks some models put before the answer. */
export function stripThink(text: string): { text: string; stripped: boolean } {
  if (!text.includes("<think>")) return { text, stripped: false };
  return { text: text.replace(THINK, "").trim(), stripped: true };
}

/** Parse JSON from model text: strips think blocks and code fences, takes the outermost {…}/[…], repairs. */
export function extractJson(text: string): { value: unknown; repairs: string[] } {
  const repairs: string[] = [];
  let body = stripThink(text).text.trim();
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)(?:```|$)/.exec(body);
  if (fence && fence[1]!.trim()) {
    body = fence[1]!.trim();
    repairs.push("removed code fence");
  }
  const start = body.search(/[{[]/);
  if (start < 0) throw new SyntaxError(`no JSON object in model output: ${excerpt(text)}`);
  if (start > 0) repairs.push("dropped text before JSON");
  const balanced = balancedEnd(body, start);
  const closer = body[start] === "{" ? "}" : "]";
  const last = body.lastIndexOf(closer);
  const candidates = [...new Set([balanced > start ? body.slice(start, balanced + 1) : "", last > start ? body.slice(start, last + 1) : ""].filter(Boolean))];
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate);
      if (candidate.length < body.length - start) repairs.push("dropped text after JSON");
      return { value, repairs };
    } catch {
      // next candidate, then repair: trailing commas, single quotes, cut-off output
    }
  }
  for (const attempt of [...candidates, body.slice(start)]) {
    try {
      const value = JSON.parse(jsonrepair(attempt));
      repairs.push("repaired malformed JSON");
      return { value, repairs };
    } catch {
      // try the next candidate
    }
  }
  throw new SyntaxError(`model output is not JSON even after repair: ${excerpt(text)}`);
}

/** Index of the bracket closing the one at `start` (strings respected), or -1 when the text is cut off. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Tool arguments as an object, whether the server sent a JSON string, an object, or nothing. */
export function parseArguments(raw: unknown, repairs: string[], name: string): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === "") return {};
  if (typeof raw === "object" && !Array.isArray(raw)) {
    repairs.push(`arguments of ${name} sent as an object, not a JSON string`);
    return raw as Record<string, unknown>;
  }
  if (typeof raw === "string") {
    try {
      const { value, repairs: fixes } = extractJson(raw);
      if (fixes.length) repairs.push(`arguments of ${name}: ${fixes.join(", ")}`);
      if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
  }
  repairs.push(`arguments of ${name} unreadable, replaced by {}: ${excerpt(String(raw))}`);
  return {};
}

interface NormaliseContext {
  /** Names of the tools offered; content is only read as a tool call when it names one of them. */
  toolNames: ReadonlySet<string>;
  /** Seed for deterministic ids when the server sends none (the request hash). */
  idSeed: string;
}

/** One wire message + finish reason → the replayable result (without usage). */
export function normaliseMessage(message: WireMessage | null | undefined, finish: string | null | undefined, ctx: NormaliseContext): Omit<StoredResponse, "usage"> {
  const repairs: string[] = [];
  let content = contentText(message?.content);
  const think = stripThink(content);
  if (think.stripped) {
    content = think.text;
    repairs.push("removed <think> block");
  }
  let toolCalls = (message?.tool_calls ?? []).map((call, i) => nativeCall(call, i, ctx, repairs)).filter((c): c is ToolCall => c !== undefined);
  if (!toolCalls.length && ctx.toolNames.size && content) {
    const found = toolCallsInContent(content, ctx);
    if (found) {
      toolCalls = found.calls;
      content = found.rest;
      repairs.push("tool calls parsed from content");
    }
  }
  return { content, toolCalls, finishReason: finishReason(finish, toolCalls.length > 0, repairs), repairs };
}

function contentText(content: WireMessage["content"]): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => p.text ?? "").join("");
  return "";
}

function nativeCall(call: WireToolCall, i: number, ctx: NormaliseContext, repairs: string[]): ToolCall | undefined {
  const name = call.function?.name;
  if (!name) {
    repairs.push(`tool call ${i} without a function name dropped`);
    return undefined;
  }
  let id = call.id ?? "";
  if (!id) {
    id = syntheticId(ctx.idSeed, i);
    repairs.push(`missing tool-call id for ${name}`);
  }
  return { id, name, arguments: parseArguments(call.function?.arguments, repairs, name) };
}

function syntheticId(seed: string, i: number): string {
  return `call_${seed.slice(0, 12)}_${i}`;
}

/** Tool calls a model wrote as text. Returns undefined unless every candidate names an offered tool. */
export function toolCallsInContent(content: string, ctx: NormaliseContext): { calls: ToolCall[]; rest: string } | undefined {
  const tagged = [...content.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)];
  let candidates: unknown[] = [];
  let rest = content;
  if (tagged.length) {
    for (const m of tagged) {
      try {
        candidates.push(extractJson(m[1]!).value);
      } catch {
        return undefined;
      }
    }
    rest = content.replace(/<tool_call>[\s\S]*?(?:<\/tool_call>|$)/g, "");
  } else {
    const text = content.replace("<|python_tag|>", "").trim();
    if (!/^(```(json)?\s*)?[{[]/.test(text)) return undefined;
    try {
      const value = extractJson(text).value;
      candidates = Array.isArray(value) ? value : [value];
    } catch {
      return undefined;
    }
    rest = "";
  }
  candidates = candidates.flatMap((c: any) => (c && Array.isArray(c.tool_calls) ? c.tool_calls : [c]));
  const calls: ToolCall[] = [];
  for (const [i, c] of candidates.entries()) {
    const fn = (c as any)?.function && typeof (c as any).function === "object" ? (c as any).function : c;
    const name = fn?.name;
    if (typeof name !== "string" || !ctx.toolNames.has(name)) return undefined;
    const args = fn.arguments ?? fn.parameters ?? {};
    const repairs: string[] = [];
    calls.push({ id: typeof (c as any).id === "string" && (c as any).id ? (c as any).id : syntheticId(ctx.idSeed, i), name, arguments: parseArguments(typeof args === "string" ? args : JSON.stringify(args), repairs, name) });
  }
  return calls.length ? { calls, rest: rest.trim() } : undefined;
}

function finishReason(raw: string | null | undefined, hasToolCalls: boolean, repairs: string[]): FinishReason {
  if (hasToolCalls) {
    if (raw !== "tool_calls" && raw !== "function_call" && raw !== "length") repairs.push(`finish_reason "${raw ?? "none"}" with tool calls read as tool_calls`);
    return raw === "length" ? "length" : "tool_calls";
  }
  switch (raw) {
    case "stop":
    case "eos":
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "length":
    case "max_tokens":
      return "length";
    case "content_filter":
      return "content_filter";
    case null:
    case undefined:
      repairs.push("no finish_reason, read as stop");
      return "stop";
    default:
      return "other";
  }
}

export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
