/** Concurrency and rate limits, weighted routing, breaker and backoff rules. */
import { describe, expect, test } from "bun:test";
import { Config } from "../../src/config/schema.ts";
import { Breaker } from "../../src/llm/breaker.ts";
import { createLlm, seededRng } from "../../src/llm/index.ts";
import { Limiter } from "../../src/llm/limiter.ts";
import { backoffMs, parseRetryAfter } from "../../src/llm/retry.ts";
import { chooseTarget } from "../../src/llm/router.ts";
import type { Clock } from "../../src/llm/runtime.ts";
import { startFakeOpenAI } from "../support/fake-openai.ts";
import { ask } from "./_helpers.ts";

const fixed = (x: number) => ({ next: () => x });

/** Virtual time: sleeping advances the clock at once. */
function virtualClock(): Clock & { t: number } {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

describe("limits", () => {
  test("calls in flight to an endpoint never exceed its max_concurrency; the rest wait and succeed", async () => {
    const fake = await startFakeOpenAI({ latencyMs: 15 });
    const llm = createLlm({ config: fake.config({ max_concurrency: 3 }), cacheMode: "off", env: {} });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => llm.chat("user", ask(`call ${i}`))));
    expect(results.every((r) => r.content === "ok")).toBe(true);
    expect(fake.maxInFlight).toBeLessThanOrEqual(3);
    expect(fake.maxInFlight).toBeGreaterThanOrEqual(2); // calls did run side by side
    expect(llm.usage().endpoints.fake!.peakInFlight).toBeLessThanOrEqual(3);
    await fake.stop();
  });

  test("a role over two endpoints: weights route the calls, each endpoint keeps its own limit", async () => {
    const a = await startFakeOpenAI({ latencyMs: 5 });
    const b = await startFakeOpenAI({ latencyMs: 5 });
    const config = Config.parse({
      endpoints: { a: { base_url: a.baseUrl, max_concurrency: 2 }, b: { base_url: b.baseUrl, max_concurrency: 4 } },
      roles: { agent: { targets: [{ endpoint: "a", model: "qwen3:8b", weight: 1 }, { endpoint: "b", model: "qwen3:8b", weight: 3 }] } },
    });
    config.endpoints.local = config.endpoints.a!; // roles left out point at "local"
    const llm = createLlm({ config, cacheMode: "off", env: {}, rng: seededRng(7) });
    await Promise.all(Array.from({ length: 200 }, (_, i) => llm.chat("agent", ask(`q${i}`))));
    expect(a.requests.length + b.requests.length).toBe(200);
    expect(b.requests.length).toBeGreaterThan(120);
    expect(b.requests.length).toBeLessThan(180);
    expect(a.maxInFlight).toBeLessThanOrEqual(2);
    expect(b.maxInFlight).toBeLessThanOrEqual(4);
    await Promise.all([a.stop(), b.stop()]);
  });

  test("rpm: the third start within a minute waits for the window", async () => {
    const clock = virtualClock();
    const limiter = new Limiter(10, 2, clock);
    (await limiter.acquire())();
    (await limiter.acquire())();
    expect(clock.t).toBe(0);
    (await limiter.acquire())();
    expect(clock.t).toBe(60_000);
  });

  test("the limiter hands slots over in FIFO order", async () => {
    const limiter = new Limiter(1, 0, virtualClock());
    const order: number[] = [];
    const first = await limiter.acquire();
    const waiting = [1, 2, 3].map(async (i) => {
      const release = await limiter.acquire();
      order.push(i);
      release();
    });
    expect(limiter.active).toBe(1);
    first();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.active).toBe(0);
    expect(limiter.peak).toBe(1);
  });
});

describe("routing, breaker, backoff", () => {
  test("weighted choice follows the weights and skips endpoints whose breaker is open", () => {
    const targets = [
      { endpoint: "x", model: "m", weight: 1 },
      { endpoint: "y", model: "m", weight: 9 },
    ];
    const rng = seededRng(1);
    const counts = { x: 0, y: 0 };
    for (let i = 0; i < 2000; i++) counts[chooseTarget(targets, rng).endpoint as "x" | "y"]++;
    expect(counts.x).toBeGreaterThan(120);
    expect(counts.x).toBeLessThan(280);
    for (let i = 0; i < 50; i++) expect(chooseTarget(targets, rng, (t) => t.endpoint !== "y").endpoint).toBe("x");
    expect(["x", "y"]).toContain(chooseTarget(targets, rng, () => false).endpoint);
  });

  test("breaker: opens after N failures, half-open lets one trial through, success closes", () => {
    const clock = virtualClock();
    const breaker = new Breaker(2, 1000, clock);
    breaker.failure("a");
    expect(breaker.admit().ok).toBe(true);
    breaker.failure("b");
    expect(breaker.isOpen()).toBe(true);
    const refused = breaker.admit();
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.retryInMs).toBe(1000);
    clock.t = 1000;
    expect(breaker.admit().ok).toBe(true); // the trial
    expect(breaker.admit().ok).toBe(false); // only one trial at a time
    breaker.failure("c"); // trial failed: open again
    expect(breaker.status.state).toBe("open");
    clock.t = 2000;
    expect(breaker.admit().ok).toBe(true);
    breaker.success();
    expect(breaker.status).toEqual({ state: "closed", consecutiveFailures: 0 });
  });

  test("backoff: exponential with jitter, capped; Retry-After wins; header forms", () => {
    const policy = { maxAttempts: 5, baseMs: 100, maxMs: 1000 };
    expect(backoffMs(policy, 1, fixed(0))).toBe(50);
    expect(backoffMs(policy, 3, fixed(0.999))).toBeCloseTo(399.8, 0);
    expect(backoffMs(policy, 10, fixed(1))).toBe(1000);
    expect(backoffMs(policy, 1, fixed(0), 700)).toBe(700);
    expect(backoffMs(policy, 1, fixed(0), 5000)).toBe(1000);
    const h = (o: Record<string, string>) => ({ get: (n: string) => o[n] ?? null });
    expect(parseRetryAfter(h({ "retry-after": "2" }), 0)).toBe(2000);
    expect(parseRetryAfter(h({ "retry-after-ms": "150", "retry-after": "9" }), 0)).toBe(150);
    expect(parseRetryAfter(h({ "retry-after": new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(parseRetryAfter(h({}), 0)).toBeUndefined();
  });
});

describe("outages", () => {
  test("a dead endpoint: the final error says connection, names endpoint and model, and suggests doctor", async () => {
    const dead = await startFakeOpenAI();
    const config = dead.config({ llm: { max_attempts: 3 } });
    await dead.stop();
    const llm = createLlm({ config, cacheMode: "off", env: {} });
    const e = await llm.chat("agent", ask("anyone?")).catch((err) => err);
    expect(e.kind).toBe("connection");
    expect(e.message).toContain(`agent call failed on endpoint "fake" (${config.endpoints.fake!.base_url}), model "qwen3:8b" after 3 attempts: connection:`);
    expect(e.hint).toContain("ppol doctor");
  });

  test("a role over a dead and a live endpoint: the breaker routes calls to the live one", async () => {
    const live = await startFakeOpenAI();
    const dead = await startFakeOpenAI();
    const deadUrl = dead.baseUrl;
    await dead.stop();
    const config = Config.parse({
      endpoints: { live: { base_url: live.baseUrl }, dead: { base_url: deadUrl } },
      roles: { user: { targets: [{ endpoint: "dead", model: "qwen3:8b", weight: 1 }, { endpoint: "live", model: "qwen3:8b", weight: 1 }] } },
      llm: { breaker_failures: 2, breaker_cooldown_ms: 60_000, backoff_base_ms: 1, backoff_max_ms: 5 },
    });
    config.endpoints.local = config.endpoints.live!;
    const llm = createLlm({ config, cacheMode: "off", env: {}, rng: seededRng(3) });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => llm.chat("user", ask(`u${i}`))));
    expect(results.every((r) => r.endpoint === "live")).toBe(true);
    const usage = llm.usage();
    expect(usage.endpoints.dead!.breaker.state).toBe("open");
    expect(usage.totals.failures).toBe(0);
    // once open, the dead endpoint is skipped: only the calls before that paid a failed attempt
    expect(usage.totals.failedAttempts).toBeLessThan(40);
    await live.stop();
  });
});
