/**
 * Messages between the host and a sandbox process: one JSON object per line, host → child on the
 * child's stdin, child → host on its stdout. Everything the child sends is untrusted (the program may
 * have taken over the child's JS realm) and is parsed with these schemas; the host decides timeouts,
 * memory verdicts and timings itself.
 */
import { z } from "zod";

export const ErrorKind = z.enum(["timeout", "memory", "exception", "forbidden", "invalid_output"]);
export type ErrorKind = z.infer<typeof ErrorKind>;

const Assets = z.object({
  version: z.string(),
  origin: z.enum(["node_modules", "embedded"]),
  files: z.record(z.string(), z.object({ path: z.string(), sha256: z.string().optional() })),
});

/** Host → child. */
export const HostMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("boot"), assets: Assets, cacheRoot: z.string(), runtimeDir: z.string().optional(), confine: z.boolean() }),
  z.object({
    type: z.literal("load"),
    id: z.number(),
    code: z.string(),
    filename: z.string(),
    /** Python code run in the same namespace before the program (host plumbing). */
    prelude: z.string(),
    limits: z.object({ cpuSeconds: z.number(), recursionLimit: z.number(), outputCap: z.number(), memoryMb: z.number(), resultCap: z.number() }),
  }),
  z.object({ type: z.literal("call"), id: z.number(), name: z.string(), argsJson: z.string() }),
  z.object({ type: z.literal("llm_reply"), id: z.number(), ok: z.boolean(), content: z.string().optional(), error: z.string().optional() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const Confinement = z.object({
  landlock: z.number().nullable(),
  netRestricted: z.boolean(),
  scoped: z.boolean(),
  seccomp: z.boolean(),
  rlimits: z.boolean(),
  error: z.string().optional(),
});
export type Confinement = z.infer<typeof Confinement>;

const MAX_TEXT = 1 << 20;

/** Child → host. */
export const ChildMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready"), confinement: Confinement, bootMs: z.number() }),
  z.object({ type: z.literal("fatal"), error: z.string().max(MAX_TEXT) }),
  z.object({
    type: z.literal("done"),
    id: z.number(),
    ok: z.boolean(),
    /** JSON text of the value (parsed by the host, so its size is capped before parsing). */
    resultJson: z.string().optional(),
    kind: z.enum(["exception", "forbidden", "memory", "invalid_output"]).optional(),
    error: z.string().max(MAX_TEXT).optional(),
    stdout: z.string().max(MAX_TEXT),
    stderr: z.string().max(MAX_TEXT),
  }),
  z.object({ type: z.literal("llm"), id: z.number(), requestJson: z.string().max(MAX_TEXT) }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;

/** What running or calling a program produced; also what `ppol sandbox run` prints. */
export const Outcome = z.object({
  ok: z.boolean(),
  result: z.unknown(),
  error_kind: ErrorKind.nullable(),
  error: z.string().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  ms: z.number(),
});
export type Outcome = z.infer<typeof Outcome>;

/** The one request shape a program may send to the host LLM. */
export const LlmRequest = z.object({
  messages: z
    .array(z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string().max(200_000) }))
    .min(1)
    .max(64),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().min(1).max(32_768).optional(),
  /** true: any JSON object; an object: a JSON Schema sent as response_format json_schema. */
  json: z.union([z.boolean(), z.record(z.string(), z.unknown())]).optional(),
});
export type LlmRequest = z.infer<typeof LlmRequest>;

/** The host capability behind the sandbox's `llm` module (the generator role of the LLM layer). */
export interface GeneratorLlm {
  chat(request: LlmRequest): Promise<{ content: string }>;
}

/** Chunks of a byte stream (typed without relying on DOM async-iteration typings). */
export async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

