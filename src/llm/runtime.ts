import { createRng } from "../rng.ts";
/** The clock and random source the LLM layer is given (never read from globals inside the layer). */

export interface Clock {
  /** Milliseconds, monotonic enough for latency and rate windows. */
  now(): number;
  /** Resolve after ms; reject with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The slice of the project's seeded generator (src/rng.ts) the layer needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** Small seeded generator (mulberry32) for jitter and weighted choice when the caller gives no RNG. */
/** The project's seeded generator (src/rng.ts), seen through the layer's narrower Rng type. */
export const seededRng = (seed: number): Rng => createRng(seed);
