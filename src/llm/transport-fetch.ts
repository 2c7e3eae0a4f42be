/**
 * The lean transport (endpoint `transport = "fetch"`): a non-streamed chat completion with plain fetch.
 * Same request body, same failure kinds and error texts as the SDK path; about 0.25 ms less CPU per call,
 * which matters when one process drives hundreds of calls a second. Streams always go through the SDK.
 */
import { excerpt } from "./repair.ts";
import type { Clock } from "./runtime.ts";
import { apiErrorText, AttemptError, deadline, type FetchLike, readWhole, statusError, type WireAnswer } from "./transport.ts";

export async function attemptFetch(opts: {
  fetch: FetchLike;
  baseUrl: string;
  apiKey?: string;
  body: Record<string, unknown>;
  model: string;
  timeoutMs: number;
  role: string;
  clock: Clock;
}): Promise<WireAnswer> {
  const { clock, timeoutMs } = opts;
  const limit = deadline(clock, timeoutMs);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", "x-ppol-role": opts.role };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  try {
    // The timer covers headers and body: a server that stalls mid-body is cut off too.
    const response = await opts.fetch(`${opts.baseUrl.replace(/\/+$/, "")}/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify({ ...opts.body, model: opts.model, stream: false }),
      signal: limit.signal,
    });
    const text = await response.text();
    if (!response.ok) {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // plain-text error body
      }
      throw statusError(response.status, apiErrorText(body, excerpt(text) || `${response.status} status code (no body)`), response.headers, clock.now());
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new AttemptError("bad_response", `unreadable body: ${excerpt((error as Error).message)}: ${excerpt(text, 80)}`);
    }
    return readWhole(json);
  } catch (error) {
    if (error instanceof AttemptError) throw error;
    if (limit.expired()) throw new AttemptError("timeout", `no complete answer within ${timeoutMs} ms`);
    const e = error as { message?: string; code?: string; cause?: { message?: string } };
    throw new AttemptError("connection", excerpt(e?.cause?.message ?? e?.message ?? String(error)));
  } finally {
    limit.cancel();
  }
}
