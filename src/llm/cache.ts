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
 *
 * Storage: a τ² conversation resends the policy, the tools and its whole history every turn, so requests
 * are stored with long texts and the tool list replaced by {"$blob": sha256} (llm_blobs, each text once);
 * expandRequest() rebuilds the exact canonical JSON, whose sha256 is the request hash.
 */
import type { EndpointConfig, RoleConfig } from "../config/index.ts";
import { PpolError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { findLlmAnswer, getLlmRequest, type LlmCacheHit, type NewLlmCall, recordLlmCalls, type Store, type StoredRequest } from "../store/index.ts";
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
  // Hot path (every call serialises the whole conversation): plain loops, no intermediate arrays.
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + stableStringify(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${stableStringify(v)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * A run sends the same tool list and the same long texts (policy, scenario) on every call: remember
 * their sorted JSON and their sha256 so each call pays for them once per run, not once per call.
 * Bounded: cleared when full.
 */
class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.limit) this.map.clear();
      v = make();
      this.map.set(key, v);
    }
    return v;
  }
}
const stableToolsMemo = new Memo<string>(32);
const textHashMemo = new Memo<string>(4096);

/** The tool list's sorted JSON, keyed by its plain JSON (native, cheap). */
const stableTools = (tools: unknown) => {
  const plain = JSON.stringify(tools);
  return stableToolsMemo.get(plain, () => stableStringify(tools));
};
const textHash = (text: string) => textHashMemo.get(text, () => sha256(text));

/** stableStringify of a request body, with the tool list memoised. */
function stableBody(body: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key of Object.keys(body).sort()) {
    const v = body[key];
    if (v === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${key === "tools" ? stableTools(v) : stableStringify(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Texts longer than this are stored once, by hash, instead of inside every request that repeats them. */
const BLOB_MIN = 200;

export interface CanonicalCall {
  json: string;
  hash: string;
  /** The stored form: long message texts and the tool list as {"$blob": sha256}. */
  compact(): StoredRequest;
}

/**
 * The canonical form of a request is `{"body":…,"role":…,"sample":…,"v":1}` with sorted keys. The body is
 * serialised once; `base` (without the sample) numbers identical requests, `at(sample)` gives the key.
 */
export function canonicalRequest(role: Role, body: Record<string, unknown>): { readonly base: string; at(sample: number): CanonicalCall } {
  const bodyJson = stableBody(body);
  const head = `{"body":${bodyJson},"role":${JSON.stringify(role)},"sample":`;
  const tail = `,"v":${CANONICAL_VERSION}}`;
  let base: string | undefined;
  return {
    // Only needed when the caller leaves `sample` to the client: hashed on demand.
    get base() {
      return (base ??= sha256(`${head}null${tail}`));
    },
    at(sample: number) {
      const json = `${head}${sample}${tail}`;
      return { json, hash: sha256(json), compact: () => compactRequest(role, sample, body) };
    },
  };
}

function compactRequest(role: Role, sample: number, body: Record<string, unknown>): StoredRequest {
  const blobs: [string, string][] = [];
  const ref = (text: string) => {
    const hash = textHash(text);
    blobs.push([hash, text]);
    return { $blob: hash };
  };
  const messages = (body.messages as Record<string, unknown>[]).map((m) => (typeof m.content === "string" && m.content.length > BLOB_MIN ? { ...m, content: ref(m.content) } : m));
  const compact: Record<string, unknown> = { ...body, messages };
  if (body.tools) compact.tools = ref(stableTools(body.tools));
  return { json: stableStringify({ body: compact, role, sample, v: CANONICAL_VERSION }), blobs };
}

/** The canonical JSON back from its stored form (its sha256 is the request hash). */
export function expandRequest(stored: { request_json: string; blobs: ReadonlyMap<string, string> }): string {
  const doc = JSON.parse(stored.request_json);
  const text = (ref: { $blob: string }) => {
    const t = stored.blobs.get(ref.$blob);
    if (t === undefined) throw new Error(`archive is missing blob ${ref.$blob}`);
    return t;
  };
  const isRef = (v: unknown): v is { $blob: string } => typeof v === "object" && v !== null && typeof (v as { $blob?: unknown }).$blob === "string";
  doc.body.messages = doc.body.messages.map((m: Record<string, unknown>) => (isRef(m.content) ? { ...m, content: text(m.content) } : m));
  if (isRef(doc.body.tools)) doc.body.tools = JSON.parse(text(doc.body.tools));
  return stableStringify(doc);
}

/** A recorded request as sent (canonical form: role, sample and the body without model), for reports and debugging. */
export function recordedRequest(store: Store, hash: string): { role: string; sample: number; body: Record<string, unknown> } | undefined {
  const stored = getLlmRequest(store, hash);
  if (!stored) return undefined;
  const doc = JSON.parse(expandRequest(stored));
  return { role: doc.role, sample: doc.sample, body: doc.body };
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
 * The archive side of the cache. Attempts (and the answers a run took from the cache) are written behind, in one transaction per batch (at most
 * `batchSize` rows or `flushMs` old; close() flushes), because one commit per call costs more CPU than
 * the rest of the call. Lookups see unflushed rows too.
 */
export class Recorder {
  private pending: { call: NewLlmCall; canon: CanonicalCall }[] = [];
  /** Answers a run took from the archive, written with the next batch (so a run knows every answer it used). */
  private hits: LlmCacheHit[] = [];
  private timer = false;
  private failure: unknown;
  /** Request and blob hashes this recorder has written (so retries and repeated texts are not re-sent). */
  private readonly written = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly batchSize = 64,
    private readonly flushMs = 20,
  ) {}

  lookup(hash: string, models?: readonly string[]): CachedAnswer | undefined {
    if (this.failure) this.flush(); // throws the earlier write failure first
    const mem = this.pending.find((p) => p.call.request_hash === hash && p.call.status === "ok" && (!models || models.includes(p.call.model)));
    const row = mem?.call ?? findLlmAnswer(this.store, hash, models);
    if (!row?.response_json) return undefined;
    return { response: StoredResponse.parse(JSON.parse(row.response_json)), model: row.model, endpoint: row.endpoint };
  }

  add(call: NewLlmCall, canon: CanonicalCall) {
    if (this.failure) this.flush(); // throws the earlier failure
    this.pending.push({ call, canon });
    this.schedule();
  }

  /** A run used a recorded answer (once per run and request is kept). */
  hit(hit: LlmCacheHit) {
    if (this.failure) this.flush();
    this.hits.push(hit);
    this.schedule();
  }

  private schedule() {
    if (this.pending.length + this.hits.length >= this.batchSize) this.flush();
    else if (!this.timer) {
      this.timer = true;
      // A plain timer, not the injected clock: this is a write deadline, not behaviour a test steers.
      setTimeout(() => {
        this.timer = false;
        try {
          this.flush();
        } catch (error) {
          this.failure = error; // reported by the next call or close(), not as an uncaught timer error
        }
      }, this.flushMs);
    }
  }

  flush() {
    if (this.failure) {
      const cause = this.failure;
      this.failure = undefined;
      throw new PpolError(`archive write failed: ${(cause as Error)?.message ?? cause}`, "check the --db file: its disk and permissions, and that no other process holds a write lock", 1, { cause });
    }
    if (!this.pending.length && !this.hits.length) return;
    const fresh: string[] = [];
    const mark = (hash: string) => !this.written.has(hash) && (this.written.add(hash), fresh.push(hash), true);
    const batch = this.pending.map(({ call, canon }) => {
      if (!mark(canon.hash)) return { call };
      const stored = canon.compact();
      return { call, request: { json: stored.json, blobs: stored.blobs.filter(([h]) => mark(h)) } };
    });
    const hits = this.hits;
    this.pending = [];
    this.hits = [];
    try {
      recordLlmCalls(this.store, batch, hits);
    } catch (error) {
      for (const hash of fresh) this.written.delete(hash); // rolled back: not in the archive after all
      throw error;
    }
    if (this.written.size > 500_000) this.written.clear(); // bounded memory; INSERT OR IGNORE keeps it correct
  }
}
