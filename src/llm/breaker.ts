/**
 * Circuit breaker per endpoint: after `threshold` consecutive failures (server errors, timeouts,
 * connection errors, unreadable bodies) the endpoint is "open" for `cooldownMs`; then one trial call is
 * let through ("half-open"): success closes it, failure opens it again. Rate limits (429) do not count:
 * the server is alive and told us when to come back.
 */
import type { Clock } from "./runtime.ts";

export type BreakerState = "closed" | "open" | "half-open";

export class Breaker {
  private failures = 0;
  private openedAt = 0;
  private state: BreakerState = "closed";
  private trialInFlight = false;
  lastError = "";

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
    private readonly clock: Clock,
  ) {}

  /** May an attempt go out now? If not, how long until it may. A granted half-open trial is reserved. */
  admit(): { ok: true } | { ok: false; retryInMs: number } {
    if (this.state === "closed") return { ok: true };
    const wait = this.openedAt + this.cooldownMs - this.clock.now();
    if (this.state === "open" && wait > 0) return { ok: false, retryInMs: wait };
    if (this.trialInFlight) return { ok: false, retryInMs: Math.max(50, this.cooldownMs / 10) };
    this.state = "half-open";
    this.trialInFlight = true;
    return { ok: true };
  }

  /** Open and still cooling down (the router prefers other endpoints). Does not reserve anything. */
  isOpen(): boolean {
    return this.state === "open" && this.openedAt + this.cooldownMs > this.clock.now();
  }

  success() {
    this.failures = 0;
    this.state = "closed";
    this.trialInFlight = false;
  }

  failure(message: string) {
    this.lastError = message;
    this.failures++;
    if (this.state === "half-open" || this.failures >= this.threshold) {
      this.state = "open";
      this.openedAt = this.clock.now();
    }
    this.trialInFlight = false;
  }

  /** An attempt that ended without telling us anything about the server (e.g. a 400). */
  neutral() {
    if (this.state === "half-open") this.state = "closed";
    this.trialInFlight = false;
  }

  get status(): { state: BreakerState; consecutiveFailures: number } {
    return { state: this.state, consecutiveFailures: this.failures };
  }
}
