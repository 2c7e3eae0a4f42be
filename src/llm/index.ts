/**
 * ppol's LLM layer: every model call (mutator, generator, user, agent, judge, reflector) goes through here.
 *
 *   const llm = createLlm({ config, store, runId, cacheMode: "rw", clock, rng });
 *   const r = await llm.chat("agent", { messages, tools, seed });   // r.content, r.toolCalls, r.finishReason, r.usage
 *   const { value } = await llm.chatJson("judge", { messages }, Verdict); // JSON parsed (repaired) and checked by zod
 *   messages.push(assistantMessage(r));                               // the answer, as the next turn's history
 *   formatUsage(llm.usage());  await llm.close();
 *
 * Contract:
 * - Roles map to weighted {endpoint, model} targets (config [roles.*]); each endpoint has its own
 *   concurrency limit and requests-per-minute: calls WAIT for capacity, they do not fail. A request may
 *   pin one target by index (`target`, e.g. a bandit over mutator models) instead of the weighted choice.
 * - Failures (429 with Retry-After, 5xx, connection errors, timeouts, unreadable bodies) are retried with
 *   exponential backoff + jitter; a circuit breaker per endpoint; the final LlmCallError names the role,
 *   endpoint, model, attempts and what happened. A 4xx other than 429 is not retried.
 * - Results are normalised: `content` is text without <think> blocks; `toolCalls` always have an id and
 *   an object of arguments, also when the server sent arguments as an object, no id, or wrote the call as
 *   JSON inside content. Assistant messages take the same ToolCall shape back (`toolCalls`), tool results
 *   are {role: "tool", toolCallId, content}.
 * - Record/replay: every attempt is stored (llm_calls; the canonical request once in llm_requests, long
 *   texts once in llm_blobs). Rows are written behind in batches (≤ 64 rows or 20 ms): call close() (or
 *   flush()) before the process exits or before another client reads the same archive.
 *   rw reuses a recorded answer for the same canonical request; ro never touches the network and fails
 *   with the request hash and role when an answer is missing; off always calls (and still records).
 *   A reused answer is noted under the client's run (llm_cache_hits, once per request), so every answer
 *   a run used is known, whichever run asked the server (`ppol bundle` copies them with the run).
 *   The canonical request leaves out endpoint and model (see cache.ts), and numbers identical requests
 *   0, 1, 2, … per client (`sample`), so repeated sampling is not collapsed and replay is 1:1. Callers that
 *   issue identical requests concurrently should set `sample` themselves for order-independent replay.
 * - Budgets (llm.budget_tokens / llm.budget_cost, or `budget`) count calls in flight; once reached, new
 *   calls throw BudgetExhausted (exit 1) and calls in flight finish.
 * - Servers differ; the layer absorbs it: missing token counts are estimated (and flagged in `repairs`),
 *   a server that wants max_completion_tokens gets it, error bodies of Ollama/vLLM/llama.cpp are read.
 * - The clock, RNG, env and fetch are injected; nothing reads globals except the documented defaults
 *   (process.env when no env is given; the timeout of a non-streamed call runs on the SDK's own timer).
 */
export { createLlm, LlmCallError, type Llm, type LlmOptions, type LlmUsage } from "./client.ts";
export { probeEndpoint, type ProbeResult } from "./probe.ts";
export { BudgetExhausted, costOf, formatUsage, type Price, type UsageReport, type UsageRow } from "./usage.ts";
export { expandRequest, recordedRequest } from "./cache.ts";
export { extractJson, stripThink } from "./repair.ts";
export { type Clock, type Rng, seededRng, systemClock } from "./runtime.ts";
export { assistantMessage, ChatMessage, ChatRequest, ToolCall, ToolSpec, type ChatResult, type FinishReason, type Role, type Usage } from "./schema.ts";
