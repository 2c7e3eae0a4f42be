/** Which failures are retried, and how long to wait: exponential backoff with full jitter, Retry-After honoured. */
import type { FailureKind } from "./schema.ts";
import type { Rng } from "./runtime.ts";

export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export function isRetryable(kind: FailureKind): boolean {
  return kind !== "client";
}

/** Only failures that say something about the server's health trip the breaker. */
export function tripsBreaker(kind: FailureKind): boolean {
  return kind === "server" || kind === "connection" || kind === "timeout" || kind === "bad_response";
}

/**
 * Delay before attempt `attempt + 1` (attempt is 1-based). A server-given Retry-After wins (capped at
 * maxMs, plus a little jitter so a crowd of waiting calls does not return at the same instant).
 */
export function backoffMs(policy: RetryPolicy, attempt: number, rng: Rng, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(policy.maxMs, retryAfterMs) + rng.next() * Math.min(250, policy.baseMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + rng.next() * (ceiling / 2);
}

/** Retry-After as seconds or an HTTP date; also the retry-after-ms some servers send. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}
