/**
 * Types of the LLM layer, from zod schemas. Caller-facing shapes (ChatRequest, ChatResult) are plain data;
 * wire shapes (what a server sends back) are parsed loosely at the edge because local servers differ.
 */
import { z } from "zod";
import type { RoleName } from "../config/index.ts";

/** A tool call after normalisation: arguments are always a parsed object, the id is never empty. */
export const ToolCall = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** A conversation message as callers give it. Assistant tool calls use the normalised ToolCall shape. */
export const ChatMessage = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: z.string() }),
  z.object({ role: z.literal("user"), content: z.string() }),
  z.object({ role: z.literal("assistant"), content: z.string().nullable(), toolCalls: z.array(ToolCall).optional() }),
  z.object({ role: z.literal("tool"), content: z.string(), toolCallId: z.string(), name: z.string().optional() }),
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

/** An OpenAI function tool schema, as τ² publishes them. */
export const ToolSpec = z.object({
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});
export type ToolSpec = z.infer<typeof ToolSpec>;

export const ChatRequest = z.object({
  messages: z.array(ChatMessage).min(1),
  tools: z.array(ToolSpec).optional(),
  toolChoice: z.union([z.enum(["auto", "none", "required"]), z.object({ name: z.string() })]).optional(),
  /** Overrides the role's temperature / max_tokens. */
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.int().positive().optional(),
  seed: z.int().optional(),
  stop: z.array(z.string()).max(4).optional(),
  /** true: ask for a JSON object (response_format json_object); an object: a JSON schema (json_schema). */
  json: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
  /** Stream the response (stored whole). Off by default: some servers drop streamed tool calls. */
  stream: z.boolean().optional(),
  timeoutMs: z.int().positive().optional(),
  /**
   * Which sample of an identical request this is. Left out, the layer numbers identical requests within
   * one client 0, 1, 2, … so n samples of one prompt stay n distinct cache entries. Set it (e.g. from an
   * episode/turn index) when concurrent callers may send identical requests in varying order.
   */
  sample: z.int().nonnegative().optional(),
  /**
   * Pin the call to one of the role's targets (index into its `targets`) instead of the weighted choice,
   * e.g. for a bandit choosing among mutator models. Not part of the request hash (routing never is); in
   * rw mode only an answer recorded from that target's model is reused.
   */
  target: z.int().nonnegative().optional(),
});
export type ChatRequest = z.input<typeof ChatRequest>;

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "other";

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** What a call returns. content/toolCalls/finishReason/usage/model are replayed byte-identically. */
export interface ChatResult {
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  /** The model that produced the answer (as configured), and the endpoint name that served it. */
  model: string;
  endpoint: string;
  /** Canonical request hash: the key of this call in the archive. */
  requestHash: string;
  /** True when the answer came from the archive (rw reuse or ro replay). */
  cached: boolean;
  latencyMs: number;
  attempts: number;
  /** What normalisation had to fix (e.g. "tool calls parsed from content", "missing tool-call id"). */
  repairs: string[];
}

/** The assistant message to put back into the conversation for the next turn. */
export function assistantMessage(result: Pick<ChatResult, "content" | "toolCalls">): ChatMessage {
  return result.toolCalls.length ? { role: "assistant", content: result.content || null, toolCalls: result.toolCalls } : { role: "assistant", content: result.content };
}

/** The stored, replayable part of a ChatResult. */
export const StoredResponse = z.object({
  content: z.string(),
  toolCalls: z.array(ToolCall),
  finishReason: z.enum(["stop", "length", "tool_calls", "content_filter", "other"]),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
  repairs: z.array(z.string()),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

// ---- wire shapes (server → us), loose on purpose ----

const WireToolCall = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  index: z.number().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.unknown() }).nullish(),
});
export type WireToolCall = z.infer<typeof WireToolCall>;

export const WireMessage = z.looseObject({
  role: z.string().nullish(),
  content: z.union([z.string(), z.array(z.looseObject({ text: z.string().nullish() }))]).nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(WireToolCall).nullish(),
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireCompletion = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(z.looseObject({ message: WireMessage.nullish(), finish_reason: z.string().nullish() })).min(1),
  usage: z.looseObject({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
});
export type WireCompletion = z.infer<typeof WireCompletion>;

/** Why an attempt failed; decides retry and circuit-breaker behaviour. */
export type FailureKind =
  | "rate_limited" // 429: retry after Retry-After; the server is alive
  | "server" // 5xx
  | "connection" // refused, reset, DNS
  | "timeout" // no complete answer within timeout_ms
  | "bad_response" // 200 with a body we cannot read (invalid JSON, truncated, no choices)
  | "client" // other 4xx: the request itself is wrong (model missing, no tool support): not retried
  | "circuit_open"; // the endpoint's breaker refused the attempt

export type Role = RoleName;
