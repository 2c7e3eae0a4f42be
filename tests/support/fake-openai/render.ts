/** Response bodies of the fake server, shaped like Ollama / vLLM / llama.cpp / OpenAI send them. */

export type Flavor = "ollama" | "vllm" | "llamacpp" | "openai";

export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
  /** null: send no id (as some local servers do). */
  id?: string | null;
}

export interface Reply {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  finishReason?: string;
  /** Token counts to report; null: report none (some servers omit usage). */
  usage?: { prompt: number; completion: number } | null;
  delayMs?: number;
  /**
   * How tool calls go on the wire: native (OpenAI shape), hermes (`<tool_call>{…}</tool_call>` in content, as
   * Qwen/Hermes templates emit when the server does not parse them), json-content (bare JSON in content),
   * object-arguments (arguments as an object), no-ids (id missing or empty).
   */
  style?: "native" | "hermes" | "json-content" | "object-arguments" | "no-ids";
}

export function errorBody(flavor: Flavor, status: number, message: string): Record<string, unknown> {
  switch (flavor) {
    case "vllm":
      return { object: "error", message, type: status >= 500 ? "InternalServerError" : status === 404 ? "NotFoundError" : "BadRequestError", param: null, code: status };
    case "llamacpp":
      return { error: { code: status, message, type: status >= 500 ? "server_error" : status === 404 ? "not_found_error" : "invalid_request_error" } };
    default:
      return { error: { message, type: status >= 500 ? "api_error" : status === 429 ? "rate_limit_error" : "invalid_request_error", param: null, code: null } };
  }
}

interface WireCall {
  id?: string;
  type: "function";
  function: { name: string; arguments: unknown };
}

/** The assistant message and finish reason for a reply in its wire style. */
export function wireMessage(reply: Reply, flavor: Flavor, seq: number): { message: Record<string, unknown>; finish: string } {
  const calls = reply.toolCalls ?? [];
  const style = reply.style ?? "native";
  const argsString = (a: ScriptedToolCall["arguments"]) => (typeof a === "string" ? a : JSON.stringify(a));
  if (calls.length && (style === "hermes" || style === "json-content")) {
    const asJson = (c: ScriptedToolCall) => JSON.stringify({ name: c.name, arguments: typeof c.arguments === "string" ? JSON.parse(c.arguments) : c.arguments });
    const text = style === "hermes" ? calls.map((c) => `<tool_call>\n${asJson(c)}\n</tool_call>`).join("\n") : calls.length === 1 ? asJson(calls[0]!) : `[${calls.map(asJson).join(",")}]`;
    return { message: { role: "assistant", content: (reply.content ? `${reply.content}\n` : "") + text }, finish: reply.finishReason ?? "stop" };
  }
  const tool_calls: WireCall[] = calls.map((c, i) => {
    const call: WireCall = { type: "function", function: { name: c.name, arguments: style === "object-arguments" && typeof c.arguments !== "string" ? c.arguments : argsString(c.arguments) } };
    if (style === "no-ids" || c.id === null) {
      if (flavor === "llamacpp") call.id = "";
    } else call.id = c.id ?? `call_${seq}_${i}`;
    return call;
  });
  const message: Record<string, unknown> = { role: "assistant", content: calls.length && !reply.content ? (flavor === "ollama" ? "" : null) : reply.content ?? "" };
  if (tool_calls.length) message.tool_calls = tool_calls;
  return { message, finish: reply.finishReason ?? (calls.length ? "tool_calls" : "stop") };
}

export function completionBody(reply: Reply, flavor: Flavor, model: string, seq: number, promptTokens: number) {
  const { message, finish } = wireMessage(reply, flavor, seq);
  const completion = reply.usage?.completion ?? Math.max(1, Math.ceil(JSON.stringify(message).length / 4));
  const body: Record<string, unknown> = {
    id: `chatcmpl-${seq}`,
    object: "chat.completion",
    created: 1_700_000_000 + seq,
    model,
    system_fingerprint: `fp_${flavor}`,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
  };
  if (reply.usage !== null) body.usage = { prompt_tokens: reply.usage?.prompt ?? promptTokens, completion_tokens: completion, total_tokens: (reply.usage?.prompt ?? promptTokens) + completion };
  return body as { id: string; created: number; choices: [{ message: Record<string, unknown>; finish_reason: string }]; usage?: Record<string, number> };
}

/** SSE events (already framed) for a streamed reply: role, content pieces, tool-call pieces, finish, usage, [DONE]. */
export function sseEvents(reply: Reply, flavor: Flavor, model: string, seq: number, promptTokens: number, includeUsage: boolean): string[] {
  const whole = completionBody(reply, flavor, model, seq, promptTokens);
  const message = whole.choices[0]!.message as { content?: string | null; tool_calls?: WireCall[] };
  const base = { id: whole.id, object: "chat.completion.chunk", created: whole.created, model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  const events: unknown[] = [chunk({ role: "assistant", content: "" })];
  const content = message.content ?? "";
  for (let i = 0; i < content.length; i += 8) events.push(chunk({ content: content.slice(i, i + 8) }));
  (message.tool_calls ?? []).forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, ...(call.id !== undefined ? { id: call.id } : {}), type: "function", function: { name: call.function.name, arguments: typeof call.function.arguments === "string" ? "" : call.function.arguments } }] }));
    const args = call.function.arguments;
    if (typeof args === "string") for (let i = 0; i < args.length; i += 10) events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + 10) } }] }));
  });
  events.push(chunk({}, whole.choices[0]!.finish_reason));
  if (includeUsage && whole.usage) events.push({ ...base, choices: [], usage: whole.usage });
  return [...events.map((e) => `data: ${JSON.stringify(e)}\n\n`), "data: [DONE]\n\n"];
}

export function modelsBody(models: string[]) {
  return { object: "list", data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "library" })) };
}

export function ollamaTagsBody(models: string[]) {
  return {
    models: models.map((name) => ({
      name,
      model: name,
      modified_at: "2025-01-01T00:00:00Z",
      size: 4_000_000_000,
      digest: "0".repeat(64),
      details: { parent_model: "", format: "gguf", family: name.split(":")[0], families: [name.split(":")[0]], parameter_size: "8B", quantization_level: "Q4_K_M" },
    })),
  };
}
