/**
 * Per-endpoint admission: at most `maxConcurrency` calls in flight and at most `rpm` starts in any
 * 60 s window. A call waits (FIFO) for capacity instead of failing.
 */
import type { Clock } from "./runtime.ts";

export class Limiter {
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly starts: number[] = [];
  /** Highest number of calls in flight at once (for tests and reports). */
  peak = 0;

  constructor(
    private readonly maxConcurrency: number,
    private readonly rpm: number,
    private readonly clock: Clock,
  ) {}

  /** Wait for a slot; the returned function releases it (call exactly once). */
  async acquire(): Promise<() => void> {
    if (this.inFlight >= this.maxConcurrency || this.waiters.length) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.inFlight++;
    // A slot is held from here on (handed over by release, or taken above).
    this.peak = Math.max(this.peak, this.inFlight);
    if (this.rpm > 0) await this.waitForRate();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // hand the slot over: inFlight stays the same
      else this.inFlight--;
    };
  }

  private async waitForRate() {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length && now - this.starts[0]! >= 60_000) this.starts.shift();
      if (this.starts.length < this.rpm) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0]! + 60_000 - now);
    }
  }

  get active(): number {
    return this.inFlight;
  }
}
