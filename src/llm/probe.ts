/**
 * Endpoint checks for `ppol doctor`: reachable (/v1/models, or Ollama's /api/tags), model present, a
 * one-token completion, a tool-calling round, latency. Never throws for server trouble: it reports it.
 */
import { EndpointConfig } from "../config/index.ts";
import { normaliseMessage } from "./repair.ts";
import { type Clock, systemClock } from "./runtime.ts";
import { AttemptError, attempt, type FetchLike, makeSdkClient } from "./transport.ts";

export interface ProbeResult {
  reachable: boolean;
  modelPresent: boolean;
  completionOk: boolean;
  toolsOk: boolean;
  /** Latency of the one-token completion (ms), 0 when it did not run. */
  latencyMs: number;
  /** Models the server lists (may be empty when it lists none). */
  models: string[];
  warnings: string[];
  /** The first thing to do about the first problem found. */
  fix?: string;
}

const PROBE_TOOL = {
  type: "function" as const,
  function: { name: "get_time", description: "Get the current time in a city.", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
};

export async function probeEndpoint(opts: { baseUrl: string; apiKey?: string; model: string; timeoutMs: number; fetch?: FetchLike; clock?: Clock }): Promise<ProbeResult> {
  const clock = opts.clock ?? systemClock;
  const doFetch: FetchLike = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/+$/, "");
  const result: ProbeResult = { reachable: false, modelPresent: false, completionOk: false, toolsOk: false, latencyMs: 0, models: [], warnings: [] };
  const fail = (fix: string) => ((result.fix ??= fix), result);
  const headers: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};

  const get = async (url: string): Promise<{ status: number; body: any } | { error: string }> => {
    try {
      const res = await doFetch(url, { headers, signal: AbortSignal.timeout(Math.min(opts.timeoutMs, 10_000)) });
      return { status: res.status, body: await res.json().catch(() => null) };
    } catch (error) {
      return { error: String((error as Error)?.message ?? error) };
    }
  };

  const listed = await get(`${base}/models`);
  if ("error" in listed) return fail(`cannot reach ${base} (${listed.error}): start the server (Ollama: \`ollama serve\`; llama.cpp: \`llama-server --jinja\`; vLLM: \`vllm serve\`) or fix the base URL`);
  result.reachable = true;
  if (listed.status === 401 || listed.status === 403) return fail(`${base} refused the API key (HTTP ${listed.status}): set the variable named by api_key_env`);
  if (listed.status === 200 && Array.isArray(listed.body?.data)) result.models = listed.body.data.map((m: any) => String(m?.id ?? "")).filter(Boolean);
  else result.warnings.push(`${base}/models answered HTTP ${listed.status}${/\/v1$/.test(base) ? "" : " (OpenAI-compatible base URLs usually end in /v1)"}`);
  if (!hasModel(result.models, opts.model) && /\/v1$/.test(base)) {
    const tags = await get(`${base.replace(/\/v1$/, "")}/api/tags`);
    if (!("error" in tags) && tags.status === 200 && Array.isArray(tags.body?.models)) result.models.push(...tags.body.models.map((m: any) => String(m?.name ?? m?.model ?? "")).filter(Boolean));
  }
  result.modelPresent = hasModel(result.models, opts.model);
  if (!result.modelPresent) {
    if (result.models.length) result.warnings.push(`model "${opts.model}" is not among the ${result.models.length} listed: ${result.models.slice(0, 8).join(", ")}`);
    result.fix ??= `make model "${opts.model}" available (Ollama: \`ollama pull ${opts.model}\`) or set --model to one the server lists`;
  }

  const endpoint = EndpointConfig.parse({ base_url: base, timeout_ms: opts.timeoutMs });
  const sdk = makeSdkClient(endpoint, opts.apiKey, opts.fetch);
  const messages = [{ role: "user", content: "Reply with the single word OK." }];
  const t0 = clock.now();
  try {
    await attempt({ sdk, body: { messages, max_tokens: 1, temperature: 0 }, model: opts.model, stream: false, timeoutMs: opts.timeoutMs, role: "doctor", clock });
    result.completionOk = true;
    result.latencyMs = clock.now() - t0;
  } catch (error) {
    const e = error as AttemptError;
    result.warnings.push(`one-token completion failed: ${e.kind ?? "error"}: ${e.message}`);
    return fail(e.kind === "timeout" ? `the model did not answer within ${opts.timeoutMs} ms: it may still be loading; retry, or raise timeout_ms` : `the server rejected a plain completion for "${opts.model}": ${e.message}`);
  }

  try {
    const answer = await attempt({
      sdk,
      body: { messages: [{ role: "user", content: "What time is it in Paris? Use the get_time tool." }], tools: [PROBE_TOOL], tool_choice: "auto", max_tokens: 512, temperature: 0 },
      model: opts.model,
      stream: false,
      timeoutMs: opts.timeoutMs,
      role: "doctor",
      clock,
    });
    const normal = normaliseMessage(answer.message, answer.finish, { toolNames: new Set(["get_time"]), idSeed: "probe" });
    result.toolsOk = normal.toolCalls.some((c) => c.name === "get_time");
    if (!result.toolsOk) result.warnings.push(`model "${opts.model}" accepted tools but answered without calling one: tool calling may be unreliable with it`);
    else if (normal.repairs.length) result.warnings.push(`tool calls needed repair (${normal.repairs.join("; ")}); ppol normalises these`);
  } catch (error) {
    const e = error as AttemptError;
    if (/does not support tools|tools? (is|are) not supported|tool_choice|enable-auto-tool-choice|--jinja/i.test(e.message)) {
      result.warnings.push(`this model does not support tools: ${e.message}`);
      result.fix ??= /enable-auto-tool-choice/.test(e.message)
        ? "the server has tool calling switched off: start vLLM with --enable-auto-tool-choice --tool-call-parser hermes (or the parser of your model)"
        : `this model does not support tools: the agent role needs a tool-capable model (e.g. qwen3:8b, llama3.1:8b); llama.cpp needs --jinja`;
    } else {
      result.warnings.push(`tool-calling probe failed: ${e.kind ?? "error"}: ${e.message}`);
      result.fix ??= `tool calling failed for "${opts.model}": ${e.message}`;
    }
  }
  return result;
}

/** Ollama treats "llama3" and "llama3:latest" as the same model. */
function hasModel(models: string[], model: string): boolean {
  const norm = (m: string) => (m.includes(":") ? m : `${m}:latest`);
  return models.some((m) => m === model || norm(m) === norm(model));
}
