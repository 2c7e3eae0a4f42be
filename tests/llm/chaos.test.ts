/** A run with about 20% injected faults completes, and every failed attempt is in the archive. */
import { expect, test } from "bun:test";
import { createLlm } from "../../src/llm/index.ts";
import { listLlmCalls } from "../../src/store/llm.ts";
import { openStore } from "../../src/store/index.ts";
import { startFakeOpenAI } from "../support/fake-openai.ts";
import { ask } from "./_helpers.ts";

for (const transport of ["sdk", "fetch"] as const)
test(`[${transport}] 300 calls at concurrency 8 with 20% faults: all complete, every failure recorded and counted`, async () => {
  const fake = await startFakeOpenAI({ seed: 11, latencyMs: 1 });
  // Each rule draws on its own, so together about 1 - 0.95^4 ≈ 19% of requests fail, plus a few hangs.
  for (const kind of ["server_error", "reset", "invalid_json", "truncated"] as const) fake.fault({ kind }, { rate: 0.05 });
  fake.fault({ kind: "rate_limit", retryAfterS: 0.01 }, { rate: 0.02 });
  fake.fault({ kind: "hang" }, { rate: 0.01 });
  const store = openStore(":memory:");
  const llm = createLlm({ config: fake.config({ max_concurrency: 8, timeout_ms: 1000, transport, llm: { max_attempts: 10 } }), store, cacheMode: "rw", env: {} });
  const results = await Promise.all(Array.from({ length: 300 }, (_, i) => llm.chat(i % 2 ? "user" : "agent", ask(`message ${i}`))));
  expect(results.every((r) => r.content === "ok")).toBe(true);

  const faulted = fake.requests.filter((r) => r.outcome !== "reply");
  expect(faulted.length / fake.requests.length).toBeGreaterThan(0.12);
  await llm.close();
  const rows = listLlmCalls(store);
  const errors = rows.filter((r) => r.status === "error");
  expect(rows.filter((r) => r.status === "ok")).toHaveLength(300);
  // Every request the server failed is an error row of its kind. Timeouts: each hang is one, and on a busy
  // machine a slow ordinary answer can be one too; circuit_open rows are attempts that never left.
  const hangs = faulted.filter((r) => r.outcome === "hang").length;
  expect(errors.filter((r) => r.error_kind !== "circuit_open" && r.error_kind !== "timeout")).toHaveLength(faulted.length - hangs);
  expect(errors.filter((r) => r.error_kind === "timeout").length).toBeGreaterThanOrEqual(hangs);
  expect(errors.every((r) => r.error && r.error_kind && r.endpoint === "fake" && r.model === "qwen3:8b")).toBe(true);
  const kinds = new Set(errors.map((r) => r.error_kind));
  for (const k of ["server", "connection", "bad_response", "rate_limited", "timeout"]) expect(kinds).toContain(k);
  const usage = llm.usage();
  expect(usage.totals.failedAttempts).toBe(errors.length);
  expect(usage.totals.failures).toBe(0);
  expect(usage.totals.calls).toBe(300);
  expect(usage.endpoints.fake!.peakInFlight).toBeLessThanOrEqual(8);
  // The server may briefly hold a request the client already abandoned (timeout): it notices the closed
  // connection a moment after the client has reused the slot. Only timed-out attempts can overlap that way.
  const timeouts = errors.filter((r) => r.error_kind === "timeout").length;
  expect(fake.maxInFlight).toBeLessThanOrEqual(8 + timeouts);
  await fake.stop();
});
