/**
 * The LLM client: role → weighted target, archive lookup (rw/ro), budget reservation, per-endpoint
 * limiter and circuit breaker, attempts with backoff, normalisation, recording and accounting.
 * See index.ts for the public contract.
 */
import { toJSONSchema, type z } from "zod";
import { Config, type EndpointConfig, formatIssue, type LlmCacheMode, ROLE_NAMES, type RoleConfig, roleConfig, RoleName } from "../config/index.ts";
import { closest, InputError, PpolError, UsageError } from "../errors.ts";
import { type NewLlmCall, type Store } from "../store/index.ts";
import type OpenAI from "openai";
import { Breaker } from "./breaker.ts";
import { type CanonicalCall, canonicalRequest, publicUrl, Recorder, wireBody } from "./cache.ts";
import { Limiter } from "./limiter.ts";
import { excerpt, extractJson, normaliseMessage } from "./repair.ts";
import { backoffMs, isRetryable, tripsBreaker, type RetryPolicy } from "./retry.ts";
import { chooseTarget } from "./router.ts";
import { type Clock, type Rng, seededRng, systemClock } from "./runtime.ts";
import { ChatRequest, type ChatResult, type FailureKind, type Role, type StoredResponse } from "./schema.ts";
import { AttemptError, attempt, type FetchLike, makeSdkClient } from "./transport.ts";
import { attemptFetch } from "./transport-fetch.ts";
import { Accounting, type UsageReport } from "./usage.ts";

export interface LlmOptions {
  config: Config;
  /** The archive: required for rw and ro; with off, calls are still recorded when a store is given. */
  store?: Store;
  runId?: string;
  /** Defaults to config.defaults.llm_cache. */
  cacheMode?: LlmCacheMode;
  clock?: Clock;
  /** Jitter and weighted choice; defaults to a generator seeded with config.defaults.seed. */
  rng?: Rng;
  /** Where api_key_env names are looked up; defaults to process.env. */
  env?: Record<string, string | undefined>;
  fetch?: FetchLike;
  /** Overrides config llm.budget_tokens / llm.budget_cost (e.g. from --max-tokens / --max-cost). */
  budget?: { maxTokens?: number; maxCost?: number };
  /** One-line warnings (e.g. an endpoint that refuses structured outputs); default: stderr. */
  onWarning?: (message: string) => void;
}

export interface Llm {
  chat(role: Role, request: ChatRequest): Promise<ChatResult>;
  /** Ask for JSON and parse it with the schema; one corrective re-ask by default. */
  chatJson<T>(role: Role, request: ChatRequest, schema: z.ZodType<T>, opts?: { attempts?: number }): Promise<{ value: T; result: ChatResult }>;
  usage(): LlmUsage;
  /** Write recorded attempts now (they are written behind, within ~20 ms, in batches). */
  flush(): void;
  /** Refuse new calls, wait for the ones in flight, write everything recorded. Call it before exiting. */
  close(): Promise<void>;
}

export interface LlmUsage extends UsageReport {
  endpoints: Record<string, { peakInFlight: number; breaker: Breaker["status"] }>;
}

/** A call that failed for good: says which role, endpoint, model, how often and what happened. */
export class LlmCallError extends PpolError {
  constructor(
    message: string,
    hint: string,
    readonly kind: FailureKind | "replay_miss",
    readonly requestHash: string,
  ) {
    super(message, hint, 1);
  }
}

interface EndpointState {
  name: string;
  config: EndpointConfig;
  url: string;
  sdk: OpenAI;
  limiter: Limiter;
  breaker: Breaker;
  apiKey: string | undefined;
  /** Set once the server said max_tokens is not supported (OpenAI reasoning models want max_completion_tokens). */
  maxCompletionTokens: boolean;
  /** response_format is sent (config structured_outputs) until the server refuses it with a 400. */
  responseFormat: boolean;
}

export function createLlm(opts: LlmOptions): Llm {
  const config = validateConfig(opts.config);
  const clock = opts.clock ?? systemClock;
  const rng = opts.rng ?? seededRng(config.defaults.seed);
  const mode = opts.cacheMode ?? config.defaults.llm_cache;
  const store = opts.store;
  if (mode !== "off" && !store) throw new UsageError(`--llm-cache ${mode} needs an archive`, "open the archive (--db) or use --llm-cache off");
  const env = opts.env ?? process.env;
  const fetchImpl = opts.fetch ?? fetch;
  const roles = Object.fromEntries(ROLE_NAMES.map((r) => [r, roleConfig(config, r)])) as Record<Role, RoleConfig>;
  const used = new Set(Object.values(roles).flatMap((rc) => rc.targets.map((t) => t.endpoint)));
  ROLE_NAMES.forEach((r) =>
    roles[r].targets.forEach((t, i) => {
      if (!(t.endpoint in config.endpoints))
        throw new InputError(`roles.${r}.targets.${i}.endpoint: unknown endpoint "${t.endpoint}" (defined: ${Object.keys(config.endpoints).join(", ")})`, `define [endpoints.${t.endpoint}] or give roles.${r} targets on a defined endpoint`);
    }),
  );
  const endpoints = new Map<string, EndpointState>();
  for (const [name, ep] of Object.entries(config.endpoints)) {
    if (!used.has(name) && mode === "ro") continue;
    let key: string | undefined;
    if (ep.api_key_env) {
      key = env[ep.api_key_env];
      if (!key && used.has(name) && mode !== "ro")
        throw new InputError(`endpoints.${name}.api_key_env: environment variable ${ep.api_key_env} is not set`, `export ${ep.api_key_env}=… (the key is read from the environment and never stored)`);
    }
    endpoints.set(name, {
      name,
      config: ep,
      url: publicUrl(ep),
      sdk: makeSdkClient(ep, key, opts.fetch),
      apiKey: key,
      limiter: new Limiter(ep.max_concurrency, ep.rpm, clock),
      breaker: new Breaker(config.llm.breaker_failures, config.llm.breaker_cooldown_ms, clock),
      maxCompletionTokens: false,
      responseFormat: ep.structured_outputs,
    });
  }
  const policy: RetryPolicy = { maxAttempts: config.llm.max_attempts, baseMs: config.llm.backoff_base_ms, maxMs: config.llm.backoff_max_ms };
  const accounting = new Accounting(config.llm.prices, { maxTokens: opts.budget?.maxTokens ?? config.llm.budget_tokens, maxCost: opts.budget?.maxCost ?? config.llm.budget_cost });
  const recorder = store ? new Recorder(store) : undefined;
  const samples = new Map<string, number>();
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;
  const runId = opts.runId ?? null;
  const at = () => new Date(clock.now()).toISOString();
  const warn = opts.onWarning ?? ((message: string) => process.stderr.write(`ppol: warning: ${message}\n`));

  async function chat(role: Role, input: ChatRequest): Promise<ChatResult> {
    if (closed) throw new UsageError("the LLM client is closed");
    const roleCheck = RoleName.safeParse(role);
    if (!roleCheck.success) {
      const hint = closest(String(role), ROLE_NAMES);
      throw new InputError(`unknown LLM role "${role}"${hint ? ` (did you mean "${hint}"?)` : ""}`, `roles are: ${ROLE_NAMES.join(", ")}`);
    }
    const parsed = ChatRequest.safeParse(input);
    if (!parsed.success) throw new InputError(`${role} request: ${formatIssue(parsed.error.issues[0]!)}`);
    const req = parsed.data;
    const roleCfg = roles[role];
    if (req.target !== undefined && req.target >= roleCfg.targets.length)
      throw new InputError(`${role} request: target ${req.target} does not exist (role ${role} has ${roleCfg.targets.length} target${roleCfg.targets.length === 1 ? "" : "s"})`, `give a target index below ${roleCfg.targets.length}, or configure more [roles.${role}] targets`);
    const body = wireBody(req, roleCfg);
    const canonical = canonicalRequest(role, body);
    let sample = req.sample;
    if (sample === undefined) {
      // Bounded: past 200k distinct requests the numbering restarts (the same on replay, which sees the same calls).
      if (samples.size >= 200_000) samples.clear();
      sample = samples.get(canonical.base) ?? 0;
      samples.set(canonical.base, sample + 1);
    }
    const canon = canonical.at(sample);
    const started = clock.now();

    if (mode !== "off") {
      const models = req.target !== undefined ? [roleCfg.targets[req.target]!.model] : roleCfg.targets.map((t) => t.model);
      const hit = recorder!.lookup(canon.hash, mode === "rw" ? models : undefined);
      if (hit) {
        if (runId) recorder!.hit({ run_id: runId, request_hash: canon.hash, role });
        const result = toResult(hit.response, hit.model, hit.endpoint, canon.hash, true, clock.now() - started, 0);
        accounting.call(role, hit.model, hit.endpoint, { cached: true, promptTokens: result.usage.promptTokens, completionTokens: result.usage.completionTokens, latencyMs: result.latencyMs });
        return result;
      }
      if (mode === "ro")
        throw new LlmCallError(
          `replay: no recorded answer for the ${role} call with request hash ${canon.hash}`,
          "the archive has no answer for this exact request: run it once with --llm-cache rw against a server, or check that the inputs and seed match the recorded run",
          "replay_miss",
          canon.hash,
        );
    }
    const promise = network(role, req, roleCfg, body, canon, started);
    inFlight.add(promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(promise);
    }
  }

  async function network(role: Role, req: z.output<typeof ChatRequest>, roleCfg: RoleConfig, body: Record<string, unknown>, canon: CanonicalCall, started: number): Promise<ChatResult> {
    const pinned = req.target !== undefined ? roleCfg.targets[req.target] : undefined;
    const pick = () => pinned ?? chooseTarget(roleCfg.targets, rng, (t) => !endpoints.get(t.endpoint)!.breaker.isOpen());
    let target = pick();
    const promptChars = (body.messages as { content?: unknown }[]).reduce((s, m) => s + (typeof m.content === "string" ? m.content.length : 0), 0);
    const release = accounting.reserve(target.model, { prompt: Math.ceil(promptChars / 4), completion: (body.max_tokens as number | undefined) ?? 1024 });
    let actual: { prompt: number; completion: number } | undefined;
    try {
      for (let n = 1; ; n++) {
        if (n > 1) target = pick();
        const ep = endpoints.get(target.endpoint)!;
        const t0 = clock.now();
        let failure: AttemptError;
        const admission = ep.breaker.admit();
        if (!admission.ok) {
          failure = new AttemptError("circuit_open", `circuit breaker open after ${ep.breaker.status.consecutiveFailures} consecutive failures (last: ${ep.breaker.lastError})`, admission.retryInMs);
        } else {
          const releaseSlot = await ep.limiter.acquire();
          const sent = clock.now();
          try {
            const timeoutMs = req.timeoutMs ?? ep.config.timeout_ms;
            const answer =
              ep.config.transport === "fetch" && !req.stream
                ? await attemptFetch({ fetch: fetchImpl, baseUrl: ep.config.base_url, apiKey: ep.apiKey, body: sendable(body, ep), model: target.model, timeoutMs, role, clock })
                : await attempt({ sdk: ep.sdk, body: sendable(body, ep), model: target.model, stream: req.stream ?? false, timeoutMs, role, clock });
            releaseSlot();
            const latencyMs = clock.now() - sent;
            ep.breaker.success();
            const normal = normaliseMessage(answer.message, answer.finish, { toolNames: new Set((req.tools ?? []).map((t) => t.function.name)), idSeed: canon.hash });
            let usage = answer.usage;
            if (!usage) {
              // Budgets need counts: estimate (4 characters a token) and say so.
              usage = { prompt: Math.ceil(promptChars / 4), completion: Math.ceil((normal.content.length + (normal.toolCalls.length ? JSON.stringify(normal.toolCalls).length : 0)) / 4) };
              normal.repairs.push("usage estimated: the server reported no token counts");
            }
            const storedJson = JSON.stringify({ ...normal, usage: { promptTokens: usage.prompt, completionTokens: usage.completion } } satisfies StoredResponse);
            // Return what a replay will return: the stored JSON read back (so -0, undefined, … cannot differ).
            const stored = JSON.parse(storedJson) as StoredResponse;
            actual = usage;
            if (recorder && mode !== "ro")
              recorder.add(row(role, canon.hash, n, ep, target.model, { status: "ok", error_kind: null, error: null, response_json: storedJson, raw_json: normal.repairs.length ? JSON.stringify(answer.message) : null, prompt_tokens: usage.prompt, completion_tokens: usage.completion, latency_ms: latencyMs, streamed: answer.streamed ? 1 : 0 }), canon);
            accounting.call(role, target.model, ep.name, { cached: false, promptTokens: usage.prompt, completionTokens: usage.completion, latencyMs });
            return toResult(stored, target.model, ep.name, canon.hash, false, clock.now() - started, n);
          } catch (error) {
            releaseSlot();
            if (!(error instanceof AttemptError)) {
              ep.breaker.neutral();
              throw error;
            }
            failure = error;
            if (tripsBreaker(failure.kind)) ep.breaker.failure(`${failure.kind}: ${failure.message}`);
            else ep.breaker.neutral();
          }
        }
        if (recorder && mode !== "ro") recorder.add(row(role, canon.hash, n, ep, target.model, { status: "error", error_kind: failure.kind, error: failure.message, response_json: null, raw_json: null, prompt_tokens: null, completion_tokens: null, latency_ms: clock.now() - t0, streamed: req.stream ? 1 : 0 }), canon);
        accounting.failedAttempt(role, target.model, ep.name);
        if (failure.status === 400 && !ep.maxCompletionTokens && body.max_tokens !== undefined && /max_completion_tokens/.test(failure.message)) {
          ep.maxCompletionTokens = true; // same canonical request, spelled the way this server wants
          if (n < policy.maxAttempts) continue;
        }
        if (failure.status === 400 && ep.responseFormat && body.response_format !== undefined && /response_format|json_schema/i.test(failure.message)) {
          // Same canonical request without the constraint: the prompt still asks for JSON and repair parses it.
          ep.responseFormat = false;
          warn(`endpoint "${ep.name}" refused response_format (${failure.message.split("\n")[0]}); structured outputs are off for it in this run — set endpoints.${ep.name}.structured_outputs = false to skip the attempt`);
          if (n < policy.maxAttempts) continue;
        }
        if (!isRetryable(failure.kind) || n >= policy.maxAttempts) {
          accounting.failure(role, target.model, ep.name);
          throw finalError(role, ep, target.model, n, failure, canon.hash);
        }
        await clock.sleep(backoffMs(policy, n, rng, failure.retryAfterMs));
      }
    } finally {
      release(actual);
    }
  }

  function row(role: Role, hash: string, attemptNo: number, ep: EndpointState, model: string, rest: Omit<NewLlmCall, "run_id" | "request_hash" | "role" | "attempt" | "endpoint" | "base_url" | "model" | "created_at">): NewLlmCall {
    return { run_id: runId, request_hash: hash, role, attempt: attemptNo, endpoint: ep.name, base_url: ep.url, model, created_at: at(), ...rest };
  }

  async function chatJson<T>(role: Role, request: ChatRequest, schema: z.ZodType<T>, o: { attempts?: number } = {}) {
    const attempts = o.attempts ?? 2;
    let req: ChatRequest = { ...request, json: request.json ?? jsonSchemaOf(schema) };
    let problem = "";
    let last: ChatResult | undefined;
    for (let k = 1; k <= attempts; k++) {
      last = await chat(role, req);
      try {
        const { value } = extractJson(last.content);
        const checked = schema.safeParse(value);
        if (checked.success) return { value: checked.data, result: last };
        problem = formatIssue(checked.error.issues[0]!);
      } catch (error) {
        problem = (error as Error).message;
      }
      // Re-ask with the error in the conversation: a new request, so a new archive entry (replayable).
      req = { ...req, messages: [...req.messages, { role: "assistant", content: last.content }, { role: "user", content: `That answer is not valid: ${problem}. Reply with only the corrected JSON.` }] };
    }
    throw new LlmCallError(`${role} answer did not match the expected JSON after ${attempts} tries: ${problem}; last answer: ${excerpt(last?.content ?? "")}`, "use a stronger model for this role, or lower its temperature", "bad_response", last?.requestHash ?? "");
  }

  return {
    chat,
    chatJson,
    usage: () => ({
      ...accounting.report(),
      endpoints: Object.fromEntries([...endpoints.values()].map((e) => [e.name, { peakInFlight: e.limiter.peak, breaker: e.breaker.status }])),
    }),
    flush: () => recorder?.flush(),
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      recorder?.flush();
    },
  };
}

/** The body as this endpoint wants it spelled; the canonical request (and its hash) stays the same. */
function sendable(body: Record<string, unknown>, ep: EndpointState): Record<string, unknown> {
  let out = body;
  if (!ep.responseFormat && out.response_format !== undefined) {
    const { response_format, ...rest } = out;
    out = rest;
  }
  if (ep.maxCompletionTokens && out.max_tokens !== undefined) {
    const { max_tokens, ...rest } = out;
    out = { ...rest, max_completion_tokens: max_tokens };
  }
  return out;
}

/** The zod schema as JSON Schema for response_format; a schema zod cannot express asks for any JSON object. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> | true {
  try {
    const { $schema, ...rest } = toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
    return rest;
  } catch {
    return true;
  }
}

function toResult(r: StoredResponse, model: string, endpoint: string, hash: string, cached: boolean, latencyMs: number, attempts: number): ChatResult {
  return { content: r.content, toolCalls: r.toolCalls, finishReason: r.finishReason, usage: r.usage, model, endpoint, requestHash: hash, cached, latencyMs, attempts, repairs: r.repairs };
}

function finalError(role: Role, ep: EndpointState, model: string, attempts: number, failure: AttemptError, hash: string): LlmCallError {
  const where = `endpoint "${ep.name}" (${ep.url}), model "${model}"`;
  const message = `${role} call failed on ${where} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${failure.kind}: ${failure.message}`;
  let hint = "see the llm_calls table in the archive for every attempt";
  if (/enable-auto-tool-choice/.test(failure.message)) hint = "start vLLM with --enable-auto-tool-choice --tool-call-parser hermes (or the parser of your model)";
  else if (/does not support tools/i.test(failure.message)) hint = `model "${model}" does not support tools: give role ${role} a tool-capable model (e.g. qwen3, llama3.1)`;
  else if (failure.status === 404) hint = `check that model "${model}" exists on the server (Ollama: ollama pull ${model}) and that the base URL ends in /v1`;
  else if (failure.status === 401 || failure.status === 403) hint = `check the API key (endpoints.${ep.name}.api_key_env)`;
  else if (failure.kind === "connection" || failure.kind === "circuit_open") hint = `is the server running at ${ep.url}? \`ppol doctor\` checks every endpoint`;
  else if (failure.kind === "timeout") hint = `raise endpoints.${ep.name}.timeout_ms, or lower max_concurrency if the server is overloaded`;
  else if (failure.kind === "rate_limited") hint = `lower endpoints.${ep.name}.rpm / max_concurrency`;
  return new LlmCallError(message, hint, failure.kind, hash);
}

function validateConfig(config: Config): Config {
  const result = Config.safeParse(config);
  if (!result.success) throw new InputError(`config: ${formatIssue(result.error.issues[0]!)}`);
  return result.data;
}
