/**
 * Canonical requests and record/replay.
 *
 * The cache key is sha256 of {v, role, sample, body} where body is the chat-completions body WITHOUT the
 * model, the endpoint and the stream flag. Why: routing (which endpoint, which of a role's weighted
 * models) is a deployment choice, so a colleague can replay an archive with a different endpoint config
 * or none at all. In `rw` mode an answer is only reused if it came from a model the role may still use;
 * in `ro` mode any recorded answer for the hash is replayed (the first one recorded).
 *
 * `sample` separates identical requests: unless the caller sets it, the client numbers the n-th identical
 * request it sees 0, 1, 2, … so n samples at temperature > 0 stay n distinct answers, and re-running the
 * same workflow maps each call to the same recorded answer.
 */
import type { EndpointConfig, RoleConfig } from "../config/schema.ts";
import type { Store } from "../store/db.ts";
import { findLlmAnswer, recordLlmCalls, type NewLlmCall } from "../store/llm.ts";
import { StoredResponse, type ChatMessage, type ChatRequest, type Role } from "./schema.ts";

export const CANONICAL_VERSION = 1;

/** The chat-completions body (model and stream are added per attempt). Role defaults applied. */
export function wireBody(req: ChatRequest, roleCfg: RoleConfig): Record<string, unknown> {
  const body: Record<string, unknown> = { messages: req.messages.map(wireMessage) };
  if (req.tools?.length) body.tools = req.tools;
  if (req.toolChoice !== undefined) body.tool_choice = typeof req.toolChoice === "string" ? req.toolChoice : { type: "function", function: { name: req.toolChoice.name } };
  const temperature = req.temperature ?? roleCfg.temperature;
  if (temperature !== undefined) body.temperature = temperature;
  const maxTokens = req.maxTokens ?? roleCfg.max_tokens;
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.stop?.length) body.stop = req.stop;
  if (req.json === true) body.response_format = { type: "json_object" };
  else if (req.json && typeof req.json === "object") body.response_format = { type: "json_schema", json_schema: { name: "answer", schema: req.json } };
  return body;
}

function wireMessage(m: ChatMessage): Record<string, unknown> {
  switch (m.role) {
    case "assistant":
      return m.toolCalls?.length
        ? { role: "assistant", content: m.content, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.arguments) } })) }
        : { role: "assistant", content: m.content ?? "" };
    case "tool":
      return { role: "tool", content: m.content, tool_call_id: m.toolCallId, ...(m.name ? { name: m.name } : {}) };
    default:
      return { role: m.role, content: m.content };
  }
}

/** JSON with sorted keys: the same request always hashes the same, whatever the key order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/**
 * The canonical form of a request is `{"body":…,"role":…,"sample":…,"v":1}` with sorted keys. The body is
 * serialised once; `base` (without the sample) numbers identical requests, `at(sample)` gives the key.
 */
export function canonicalRequest(role: Role, body: Record<string, unknown>): { base: string; at(sample: number): { json: string; hash: string } } {
  const bodyJson = stableStringify(body);
  const head = `{"body":${bodyJson},"role":${JSON.stringify(role)},"sample":`;
  const tail = `,"v":${CANONICAL_VERSION}}`;
  return {
    base: sha256(`${head}null${tail}`),
    at(sample: number) {
      const json = `${head}${sample}${tail}`;
      return { json, hash: sha256(json) };
    },
  };
}

function sha256(text: string): string {
  return new Bun.CryptoHasher("sha256").update(text).digest("hex");
}

/** A base URL safe to store: credentials removed. */
export function publicUrl(endpoint: EndpointConfig): string {
  try {
    const url = new URL(endpoint.base_url);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return endpoint.base_url;
  }
}

export interface CachedAnswer {
  response: StoredResponse;
  model: string;
  endpoint: string;
}

/**
 * The archive side of the cache. Attempts are written behind, in one transaction per batch (at most
 * `batchSize` rows or `flushMs` old; close() flushes), because one commit per call costs more CPU than
 * the rest of the call. Lookups see unflushed rows too.
 */
export class Recorder {
  private pending: { call: NewLlmCall; requestJson: string }[] = [];
  private timer = false;

  constructor(
    private readonly store: Store,
    private readonly batchSize = 64,
    private readonly flushMs = 20,
  ) {}

  lookup(hash: string, models?: readonly string[]): CachedAnswer | undefined {
    const mem = this.pending.find((p) => p.call.request_hash === hash && p.call.status === "ok" && (!models || models.includes(p.call.model)));
    const row = mem?.call ?? findLlmAnswer(this.store, hash, models);
    if (!row?.response_json) return undefined;
    return { response: StoredResponse.parse(JSON.parse(row.response_json)), model: row.model, endpoint: row.endpoint };
  }

  add(call: NewLlmCall, requestJson: string) {
    this.pending.push({ call, requestJson });
    if (this.pending.length >= this.batchSize) this.flush();
    else if (!this.timer) {
      this.timer = true;
      // A plain timer, not the injected clock: this is a write deadline, not behaviour a test steers.
      setTimeout(() => {
        this.timer = false;
        this.flush();
      }, this.flushMs);
    }
  }

  flush() {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    recordLlmCalls(this.store, batch);
  }
}
