/**
 * THE fake OpenAI-compatible server for ppol's tests: a real HTTP server on 127.0.0.1 (random port).
 *
 *   const fake = await startFakeOpenAI();                       // Ollama-like, model "qwen3:8b"
 *   const config = fake.config();                               // a ppol Config pointing every role at it
 *   fake.reply({ role: "judge" }, '{"verdict": true}');         // every judge call
 *   fake.reply({ last: /refund/ }, text("Sure."), { times: 1 }); // once, when the last message matches
 *   fake.conversation({ role: "agent" }, [                       // a τ² agent, turn by turn
 *     toolCall("find_user_id_by_email", { email: "a@b.c" }),
 *     text("I found your account. What would you like to do?"),
 *   ]);
 *   fake.conversation({ role: "user" }, [text("Hi, I want to return a lamp."), text("###STOP###")]);
 *   fake.fault({ kind: "rate_limit", retryAfterS: 0.05 }, { times: 2 });
 *   fake.fault({ kind: "server_error" }, { rate: 0.2 });        // 20% of calls, deterministic sequence
 *   ... fake.requests (log), fake.maxInFlight, fake.unplayed() (conversation replies not served yet) ...
 *   await fake.stop();
 *
 * Matching: `role` is the X-Ppol-Role header ppol's client sends; `system` / `last` / `any` are regexes on
 * the system prompt, the last message, any message; `when` is a predicate. Conversations are used before
 * reply rules; with nothing matching, the default reply is "ok". Faults come in two sorts: transport
 * (latency, rate_limit, server_error, hang, stall (streams), reset, truncated, invalid_json, not_found) and shape
 * (tool_calls_in_content, object_arguments, missing_ids), which change how the reply's tool calls look.
 * Error bodies follow the chosen flavor (ollama, vllm, llamacpp, openai). `/v1/models` always answers;
 * `/api/tags` only for the ollama flavor. Models in `noTools` answer 400 "… does not support tools"; unknown
 * models 404; models in `noResponseFormat` answer 400 to a json_schema response_format. A reply with
 * `usage: null` reports no token counts; `style` shows tool calls the way local
 * models mis-send them. `fake.config()` has fast test backoff (5–200 ms) and a 100 ms breaker cooldown;
 * override with `fake.config({ max_concurrency, timeout_ms, llm: { … } })`. For a separate process (the
 * benchmark), run serve.ts: it prints {"baseUrl": …} and serves until stdin closes.
 */
import { Config, ROLE_NAMES } from "../../../src/config/schema.ts";
import { seededRng } from "../../../src/llm/index.ts";
import { completionBody, errorBody, type Flavor, modelsBody, ollamaTagsBody, type Reply, sseEvents } from "./render.ts";

export type { Flavor, Reply, ScriptedToolCall } from "./render.ts";

export interface Match {
  role?: string;
  model?: string;
  system?: RegExp | string;
  last?: RegExp | string;
  any?: RegExp | string;
  tools?: boolean;
  when?: (req: LoggedRequest) => boolean;
}

export type Fault =
  | { kind: "latency"; ms: number }
  | { kind: "rate_limit"; retryAfterS?: number }
  | { kind: "server_error"; status?: number; message?: string }
  | { kind: "hang" }
  /** Streamed requests: the first chunks, then silence until the client gives up. */
  | { kind: "stall" }
  | { kind: "reset" }
  | { kind: "truncated" }
  | { kind: "invalid_json" }
  | { kind: "not_found" }
  | { kind: "tool_calls_in_content"; style?: "hermes" | "json-content" }
  | { kind: "object_arguments" }
  | { kind: "missing_ids" };

export interface LoggedRequest {
  seq: number;
  path: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string>;
  role: string | null;
  model: string;
  body: any;
  stream: boolean;
  system: string;
  last: string;
  /** What the server did: "reply", a fault kind, or an error status. */
  outcome: string;
}

export interface FakeOptions {
  flavor?: Flavor;
  models?: string[];
  /** Models that answer 400 "does not support tools" when a request carries tools. */
  noTools?: string[];
  /** Models that answer 400 naming response_format when a request asks for a json_schema (older servers). */
  noResponseFormat?: string[];
  /** Added to every completion. */
  latencyMs?: number;
  defaultReply?: Reply | ((req: LoggedRequest) => Reply);
  /** Seed of the sequence that decides `rate` faults. */
  seed?: number;
  /** Keep the request log (default true; the benchmark turns it off). */
  log?: boolean;
}

type ReplySource = string | Reply | ((req: LoggedRequest) => Reply | string);

export const text = (content: string): Reply => ({ content });
export const toolCall = (name: string, args: Record<string, unknown>, extra: Partial<Reply> = {}): Reply => ({ toolCalls: [{ name, arguments: args }], ...extra });

export interface FakeOpenAI {
  /** e.g. http://127.0.0.1:41234/v1 — what ppol's endpoint base_url should be. */
  baseUrl: string;
  origin: string;
  requests: LoggedRequest[];
  readonly inFlight: number;
  readonly maxInFlight: number;
  reply(match: Match, reply: ReplySource, opts?: { times?: number }): FakeOpenAI;
  conversation(match: Match, replies: ReplySource[]): FakeOpenAI;
  fault(fault: Fault, opts?: { match?: Match; times?: number; rate?: number }): FakeOpenAI;
  /** Conversation replies not served yet (assert it is 0 to know a script was played to the end). */
  unplayed(): number;
  /** A Config with one endpoint "fake" and every role on it (model = first model). */
  config(overrides?: { max_concurrency?: number; rpm?: number; timeout_ms?: number; transport?: "sdk" | "fetch"; llm?: Record<string, unknown> }): Config;
  reset(): void;
  stop(): Promise<void>;
}

export async function startFakeOpenAI(opts: FakeOptions = {}): Promise<FakeOpenAI> {
  const flavor = opts.flavor ?? "ollama";
  const models = opts.models ?? ["qwen3:8b"];
  let rules: { match: Match; source: ReplySource; times: number }[] = [];
  let queues: { match: Match; replies: ReplySource[] }[] = [];
  let faults: { fault: Fault; match?: Match; times: number; rate?: number }[] = [];
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let rng = seededRng(opts.seed ?? 1);
  const requests: LoggedRequest[] = [];
  const hangs = new Set<() => void>();

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

  async function completions(req: Request): Promise<Response> {
    const body: any = await req.json().catch(() => null);
    if (!body || !Array.isArray(body.messages)) return json(400, errorBody(flavor, 400, "invalid request body: messages required"));
    const messages = body.messages as { role: string; content: unknown }[];
    const textOf = (m?: { content: unknown }) => (typeof m?.content === "string" ? m.content : m?.content ? JSON.stringify(m.content) : "");
    const logged: LoggedRequest = {
      seq: ++seq,
      path: new URL(req.url).pathname,
      headers: Object.fromEntries(req.headers as unknown as Iterable<[string, string]>),
      role: req.headers.get("x-ppol-role"),
      model: String(body.model ?? ""),
      body,
      stream: body.stream === true,
      system: textOf(messages.find((m) => m.role === "system")),
      last: textOf(messages.at(-1)),
      outcome: "reply",
    };
    if (opts.log !== false) requests.push(logged);
    const promptTokens = Math.ceil(messages.reduce((s, m) => s + textOf(m).length, 0) / 4);

    let delay = opts.latencyMs ?? 0;
    let style: Reply["style"];
    let stall = false;
    for (const f of faults) {
      if (f.times <= 0 || (f.match && !matches(f.match, logged))) continue;
      if (f.rate !== undefined && rng.next() >= f.rate) continue;
      f.times--;
      const fault = f.fault;
      if (fault.kind === "latency") delay += fault.ms;
      else if (fault.kind === "tool_calls_in_content") style = fault.style ?? "hermes";
      else if (fault.kind === "object_arguments") style = "object-arguments";
      else if (fault.kind === "missing_ids") style = "no-ids";
      else if (fault.kind === "stall") stall = true;
      else {
        logged.outcome = fault.kind;
        if (delay) await Bun.sleep(delay);
        return transportFault(fault, req);
      }
    }
    if (!models.includes(logged.model)) {
      logged.outcome = "404";
      return json(404, errorBody(flavor, 404, `model "${logged.model}" not found, try pulling it first`));
    }
    if (body.tools?.length && opts.noTools?.includes(logged.model)) {
      logged.outcome = "400";
      return json(400, errorBody(flavor, 400, `registry.ollama.ai/library/${logged.model} does not support tools`));
    }
    if (body.response_format?.type === "json_schema" && opts.noResponseFormat?.includes(logged.model)) {
      logged.outcome = "400";
      return json(400, errorBody(flavor, 400, "'response_format.type' must be 'text' or 'json_object'"));
    }
    const reply = { ...pickReply(logged) };
    if (style) reply.style = style;
    delay += reply.delayMs ?? 0;
    if (delay) await Bun.sleep(delay);
    const id = seq;
    if (logged.stream) {
      const events = sseEvents(reply, flavor, logged.model, id, promptTokens, body.stream_options?.include_usage === true);
      if (stall) {
        logged.outcome = "stall";
        return new Response(stalledStream(events.slice(0, 2), req.signal, hangs), { headers: { "content-type": "text/event-stream" } });
      }
      return new Response(events.join(""), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
    }
    return json(200, completionBody(reply, flavor, logged.model, id, promptTokens));
  }

  function transportFault(fault: Fault, req: Request): Response | Promise<Response> {
    switch (fault.kind) {
      case "rate_limit":
        return json(429, errorBody(flavor, 429, "too many requests"), { "retry-after": String(fault.retryAfterS ?? 1) });
      case "server_error":
        return json(fault.status ?? 500, errorBody(flavor, fault.status ?? 500, fault.message ?? "llama runner process has terminated: exit status 2"));
      case "not_found":
        return json(404, errorBody(flavor, 404, "model not found"));
      case "invalid_json":
        return new Response('{"id": "chatcmpl-x", "choices": [{"message": {"role": "assistant", "content": "o', { headers: { "content-type": "application/json" } });
      case "reset":
        // Erroring the body before anything is written makes Bun drop the socket: the client sees ECONNRESET.
        return new Response(new ReadableStream({ pull: (c) => c.error(undefined) }));
      case "truncated": {
        let sent = false;
        return new Response(
          new ReadableStream({
            pull(c) {
              if (sent) return c.error(undefined);
              sent = true;
              c.enqueue(new TextEncoder().encode('{"id":"chatcmpl-t","object":"chat.completion","choices":[{"index":0,"message":{"role":"assist'));
            },
          }),
          { headers: { "content-type": "application/json" } },
        );
      }
      case "hang":
        return new Promise<Response>((resolve) => {
          const done = () => {
            hangs.delete(done);
            resolve(new Response(null, { status: 499 }));
          };
          hangs.add(done);
          req.signal.addEventListener("abort", done, { once: true });
        });
      default:
        throw new Error(`not a transport fault: ${fault.kind}`);
    }
  }

  function pickReply(req: LoggedRequest): Reply {
    for (const q of queues) {
      if (q.replies.length && matches(q.match, req)) return resolve(q.replies.shift()!, req);
    }
    for (const r of rules) {
      if (r.times > 0 && matches(r.match, req)) {
        r.times--;
        return resolve(r.source, req);
      }
    }
    const d = opts.defaultReply;
    return d ? (typeof d === "function" ? d(req) : d) : { content: "ok" };
  }

  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      if (req.method === "GET" && path === "/v1/models") return json(200, modelsBody(models));
      if (req.method === "GET" && path === "/api/tags" && flavor === "ollama") return json(200, ollamaTagsBody(models));
      if (req.method === "POST" && path === "/v1/chat/completions") {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await completions(req);
        } finally {
          inFlight--;
        }
      }
      return flavor === "ollama" ? new Response("404 page not found", { status: 404 }) : json(404, errorBody(flavor, 404, `no route ${path}`));
    },
  });
  const origin = `http://127.0.0.1:${server.port}`;

  const fake: FakeOpenAI = {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reply(match, source, o = {}) {
      rules.push({ match, source, times: o.times ?? Infinity });
      return fake;
    },
    conversation(match, replies) {
      queues.push({ match, replies: [...replies] });
      return fake;
    },
    fault(fault, o = {}) {
      faults.push({ fault, match: o.match, times: o.times ?? Infinity, rate: o.rate });
      return fake;
    },
    unplayed() {
      return queues.reduce((n, q) => n + q.replies.length, 0);
    },
    config(o = {}) {
      const { llm, ...endpoint } = o;
      return Config.parse({
        endpoints: { fake: { base_url: `${origin}/v1`, timeout_ms: 5_000, ...endpoint } },
        roles: Object.fromEntries(ROLE_NAMES.map((r) => [r, { targets: [{ endpoint: "fake", model: models[0]!, weight: 1 }] }])),
        llm: { backoff_base_ms: 5, backoff_max_ms: 200, breaker_cooldown_ms: 100, ...llm },
      });
    },
    reset() {
      rules = [];
      queues = [];
      faults = [];
      requests.length = 0;
      maxInFlight = 0;
      rng = seededRng(opts.seed ?? 1);
    },
    async stop() {
      for (const h of [...hangs]) h();
      await server.stop(true);
    },
  };
  return fake;
}

/** Send the first events, then nothing until the client disconnects (or the server stops). */
function stalledStream(first: string[], signal: AbortSignal, hangs: Set<() => void>): ReadableStream {
  let sent = false;
  return new ReadableStream({
    pull(c) {
      if (!sent) {
        sent = true;
        c.enqueue(new TextEncoder().encode(first.join("")));
        return;
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          hangs.delete(done);
          c.error(undefined);
          resolve();
        };
        hangs.add(done);
        signal.addEventListener("abort", done, { once: true });
      });
    },
  });
}

function resolve(source: ReplySource, req: LoggedRequest): Reply {
  const r = typeof source === "function" ? source(req) : source;
  return typeof r === "string" ? { content: r } : r;
}

function test(pattern: RegExp | string | undefined, text: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
}

export function matches(m: Match, req: LoggedRequest): boolean {
  if (m.role !== undefined && req.role !== m.role) return false;
  if (m.model !== undefined && req.model !== m.model) return false;
  if (m.tools !== undefined && Boolean(req.body.tools?.length) !== m.tools) return false;
  if (!test(m.system, req.system) || !test(m.last, req.last)) return false;
  if (m.any !== undefined && !(req.body.messages as { content: unknown }[]).some((msg) => test(m.any, typeof msg.content === "string" ? msg.content : ""))) return false;
  return m.when ? m.when(req) : true;
}
