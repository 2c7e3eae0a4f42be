/**
 * One attempt against one endpoint through the openai SDK (its own retries off: ours honour the breaker
 * and the limiter). Returns the wire message or throws an AttemptError saying what kind of failure it was.
 * Streamed answers are assembled here, so everything above sees one whole completion.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { EndpointConfig } from "../config/index.ts";
import { excerpt } from "./repair.ts";
import { parseRetryAfter } from "./retry.ts";
import type { Clock } from "./runtime.ts";
import { WireCompletion, type FailureKind, type WireMessage } from "./schema.ts";

export class AttemptError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface WireAnswer {
  message: WireMessage;
  finish: string | null;
  /** null when the server reported no token counts. */
  usage: { prompt: number; completion: number } | null;
  streamed: boolean;
}

// Abort reasons, made once (an Error per call costs a stack trace).
const TIMEOUT = new Error("timeout");
const DONE = new Error("done");

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export function makeSdkClient(endpoint: EndpointConfig, apiKey: string | undefined, fetchImpl?: FetchLike): OpenAI {
  return new OpenAI({
    baseURL: endpoint.base_url,
    // Local servers need no key; the SDK insists on one, and must not pick up OPENAI_API_KEY by itself.
    apiKey: apiKey ?? "ppol-no-key",
    organization: null,
    project: null,
    maxRetries: 0,
    // Quiet whatever OPENAI_LOG says: failures are reported by the layer, with endpoint and model.
    logLevel: "off",
    timeout: endpoint.timeout_ms + 5_000,
    ...(fetchImpl ? { fetch: fetchImpl as any } : {}),
  });
}

export async function attempt(opts: {
  sdk: OpenAI;
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  timeoutMs: number;
  role: string;
  clock: Clock;
}): Promise<WireAnswer> {
  const { sdk, body, model, stream, timeoutMs, clock } = opts;
  const params: any = { ...body, model, stream };
  const headers = { "X-Ppol-Role": opts.role };
  if (!stream) {
    // The SDK's timeout covers the whole exchange (headers and body) and aborts the request; passing our own
    // signal as well costs ~0.1 ms CPU per call in the SDK's signal plumbing, so non-streamed calls use it alone.
    try {
      return readWhole(await sdk.chat.completions.create(params, { headers, maxRetries: 0, timeout: timeoutMs }));
    } catch (error) {
      throw classify(error, false, timeoutMs, clock.now());
    }
  }
  // Streams: the SDK stops timing once headers arrive, so our own deadline aborts a stream that stalls.
  const limit = deadline(clock, timeoutMs);
  try {
    params.stream_options = { include_usage: true };
    const response: unknown = await sdk.chat.completions.create(params, { signal: limit.signal, headers, maxRetries: 0, timeout: timeoutMs });
    const answer = await readStream(response as AsyncIterable<any>, limit.expired);
    if (limit.expired()) throw new AttemptError("timeout", `no complete answer within ${timeoutMs} ms`);
    return answer;
  } catch (error) {
    throw classify(error, limit.expired(), timeoutMs, clock.now());
  } finally {
    limit.cancel();
  }
}

/**
 * A deadline on the injected clock: `signal` aborts the request when it passes. The timer has its own
 * controller, so cancelling it after success does not ripple through the request's signal.
 */
export function deadline(clock: Clock, ms: number): { signal: AbortSignal; expired: () => boolean; cancel: () => void } {
  const request = new AbortController();
  const timer = new AbortController();
  let expired = false;
  void clock.sleep(ms, timer.signal).then(
    () => {
      expired = true;
      request.abort(TIMEOUT);
    },
    () => {},
  );
  return { signal: request.signal, expired: () => expired, cancel: () => timer.abort(DONE) };
}

export function readWhole(raw: unknown): WireAnswer {
  const parsed = WireCompletion.safeParse(raw);
  if (!parsed.success) throw new AttemptError("bad_response", `unreadable completion: ${excerpt(typeof raw === "string" ? raw : JSON.stringify(raw) ?? "empty body")}`);
  const choice = parsed.data.choices[0]!;
  return {
    message: choice.message ?? {},
    finish: choice.finish_reason ?? null,
    usage: parsed.data.usage ? { prompt: parsed.data.usage.prompt_tokens ?? 0, completion: parsed.data.usage.completion_tokens ?? 0 } : null,
    streamed: false,
  };
}

/** Assemble SSE chunks into one message: content concatenated, tool-call pieces merged by index. */
async function readStream(chunks: AsyncIterable<any>, timedOut: () => boolean): Promise<WireAnswer> {
  let content = "";
  let finish: string | null = null;
  let sawFinish = false;
  let usage: WireAnswer["usage"] = null;
  const calls = new Map<number, { id?: string; name?: string; args: string; argsObject?: unknown }>();
  for await (const chunk of chunks) {
    if (chunk?.usage) usage = { prompt: chunk.usage.prompt_tokens ?? 0, completion: chunk.usage.completion_tokens ?? 0 };
    const choice = chunk?.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta ?? {};
    if (typeof delta.content === "string") content += delta.content;
    for (const [i, tc] of (delta.tool_calls ?? []).entries()) {
      const index = typeof tc.index === "number" ? tc.index : i;
      const slot = calls.get(index) ?? { args: "" };
      if (tc.id) slot.id = tc.id;
      if (tc.function?.name) slot.name = (slot.name ?? "") + tc.function.name;
      const args = tc.function?.arguments;
      if (typeof args === "string") slot.args += args;
      else if (args && typeof args === "object") slot.argsObject = args;
      calls.set(index, slot);
    }
    if (choice.finish_reason) {
      finish = choice.finish_reason;
      sawFinish = true;
    }
  }
  if (timedOut()) throw new AttemptError("timeout", "stream stopped by timeout");
  // The SDK ends quietly when the connection drops mid-stream; no finish_reason means we got a fragment.
  if (!sawFinish) throw new AttemptError("bad_response", `stream ended without a finish_reason after ${content.length} characters`);
  const tool_calls = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, c]) => ({ id: c.id ?? null, type: "function", function: { name: c.name ?? null, arguments: c.argsObject ?? c.args } }));
  return { message: { role: "assistant", content, tool_calls }, finish, usage, streamed: true };
}

function classify(error: unknown, timedOut: boolean, timeoutMs: number, now: number): AttemptError {
  if (error instanceof AttemptError) return error;
  if (timedOut) return new AttemptError("timeout", `no complete answer within ${timeoutMs} ms`);
  if (error instanceof APIConnectionTimeoutError) return new AttemptError("timeout", `no complete answer within ${timeoutMs} ms`);
  if (error instanceof APIUserAbortError) return new AttemptError("connection", "request aborted");
  if (error instanceof APIConnectionError) {
    const cause = (error as { cause?: { message?: string; code?: string } }).cause;
    return new AttemptError("connection", excerpt(cause?.message ?? error.message));
  }
  if (error instanceof APIError && error.status !== undefined) return statusError(error.status as number, apiErrorText(error.error, error.message), error.headers as any, now);
  if (error instanceof APIError) return new AttemptError("server", `error event in stream: ${apiErrorText(error.error, error.message)}`);
  const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  if (error instanceof SyntaxError || /JSON|Unexpected (token|end)|malformed/i.test(message)) return new AttemptError("bad_response", `unreadable body: ${excerpt(message)}`);
  return new AttemptError("connection", excerpt((error as any)?.cause?.message ?? message));
}

/** An HTTP error status as a failure kind: 429 rate limited, 5xx/408 server, other 4xx client (not retried). */
export function statusError(status: number, text: string, headers: { get(name: string): string | null } | undefined, now: number): AttemptError {
  const retryAfterMs = parseRetryAfter(headers, now);
  if (status === 429) return new AttemptError("rate_limited", `HTTP 429 ${text}`, retryAfterMs, status);
  if (status >= 500 || status === 408) return new AttemptError("server", `HTTP ${status} ${text}`, retryAfterMs, status);
  return new AttemptError("client", `HTTP ${status} ${text}`, undefined, status);
}

/** The server's own words: OpenAI/Ollama {error:{message}}, vLLM {message}, Ollama native {error:"…"}. */
export function apiErrorText(body: any, fallback: string): string {
  if (typeof body === "string") return body;
  if (body && typeof body.message === "string") return body.message;
  if (body && typeof body.error === "string") return body.error;
  if (body && typeof body.error?.message === "string") return body.error.message;
  return fallback.replace(/^\d{3}\s*/, "") || "(no body)";
}
