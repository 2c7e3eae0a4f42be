/** Every fault kind of the fake server: recovered by retries, or failed with a clear error, and recorded. */
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { createLlm, LlmCallError } from "../../src/llm/index.ts";
import { listLlmCalls } from "../../src/store/llm.ts";
import { openStore } from "../../src/store/index.ts";
import { type FakeOpenAI, startFakeOpenAI, toolCall } from "../support/fake-openai.ts";
import { ask, recordingClock, TOOLS } from "./_helpers.ts";

const fake = await startFakeOpenAI({ noTools: ["gemma3:4b"], models: ["qwen3:8b", "gemma3:4b"] });
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function makeClient(f: FakeOpenAI, o: Parameters<FakeOpenAI["config"]>[0] = {}) {
  const store = openStore(":memory:");
  const clock = recordingClock();
  const llm = createLlm({ config: f.config(o), store, cacheMode: "off", clock, env: {} });
  return { llm, store, clock, calls: () => (llm.flush(), listLlmCalls(store)) };
}

// Every test runs over both transports: the openai SDK, and plain fetch for non-streamed calls.
for (const transport of ["sdk", "fetch"] as const) {
describe(`[${transport}]`, () => {
  const client = (f: FakeOpenAI = fake, o: Parameters<FakeOpenAI["config"]>[0] = {}) => makeClient(f, { ...o, transport });

  test("the configured transport is used (streams always go through the SDK)", async () => {
    const { llm } = client();
    await llm.chat("user", ask("which transport"));
    await llm.chat("user", { ...ask("which transport, streamed"), stream: true });
    expect(fake.requests.map((r) => r.headers["x-stainless-lang"] === "js")).toEqual([transport === "sdk", true]);
    expect(fake.requests.every((r) => r.headers["x-ppol-role"] === "user")).toBe(true);
  });

  describe("transport faults are retried and recorded", () => {
    const kinds = [
      ["server_error", "server"],
      ["reset", "connection"],
      ["truncated", "connection"], // part of the body, then the connection drops
      ["invalid_json", "bad_response"],
    ] as const;
    for (const [fault, kind] of kinds) {
      test(`${fault} → ${kind}, then success`, async () => {
        fake.fault({ kind: fault }, { times: 2 });
        const { llm, calls } = client();
        const r = await llm.chat("user", ask(`hello ${fault}`));
        expect(r.content).toBe("ok");
        expect(r.attempts).toBe(3);
        expect(calls().map((c) => [c.attempt, c.status, c.error_kind])).toEqual([
          [1, "error", kind],
          [2, "error", kind],
          [3, "ok", null],
        ]);
        expect(llm.usage().totals.failedAttempts).toBe(2);
      });
    }

    test("429 waits at least Retry-After before the next attempt", async () => {
      fake.fault({ kind: "rate_limit", retryAfterS: 0.12 }, { times: 1 });
      const { llm, clock, calls } = client();
      expect((await llm.chat("agent", ask("busy?"))).content).toBe("ok");
      expect(clock.sleeps[0]).toBeGreaterThanOrEqual(120);
      expect(calls()[0]!.error).toBe("HTTP 429 too many requests");
    });

    test("backoff grows between attempts without Retry-After", async () => {
      fake.fault({ kind: "server_error" }, { times: 3 });
      const { llm, clock } = client(fake, { llm: { backoff_base_ms: 8, backoff_max_ms: 1000 } });
      await llm.chat("agent", ask("grow"));
      // attempt n waits in [base·2^(n-1)/2, base·2^(n-1)]
      expect(clock.sleeps).toHaveLength(3);
      clock.sleeps.forEach((ms, i) => {
        expect(ms).toBeGreaterThanOrEqual((8 * 2 ** i) / 2);
        expect(ms).toBeLessThanOrEqual(8 * 2 ** i);
      });
    });

    test("a hang is cut by the timeout (the request is aborted), then retried", async () => {
      fake.fault({ kind: "hang" }, { times: 1 });
      const { llm, calls } = client(fake, { timeout_ms: 150 });
      const r = await llm.chat("user", ask("are you there"));
      expect(r.content).toBe("ok");
      expect(calls()[0]!.error_kind).toBe("timeout");
      expect(fake.inFlight).toBe(0);
    });

    test("latency beyond timeout_ms is a timeout, then the next attempt answers", async () => {
      fake.fault({ kind: "latency", ms: 400 }, { times: 1 });
      const { llm, calls } = client(fake, { timeout_ms: 200 });
      expect((await llm.chat("user", ask("slow"))).attempts).toBeGreaterThanOrEqual(2);
      // first a timeout, finally an answer (on a very busy machine an ordinary answer may time out too)
      expect(calls()[0]!.error_kind).toBe("timeout");
      expect(calls().at(-1)!.status).toBe("ok");
      expect(fake.requests.map((r) => r.outcome)).toEqual(["reply", "reply"]);
    });

    test("persistent 500s fail after max_attempts naming role, endpoint, model and the server's message", async () => {
      fake.fault({ kind: "server_error", message: "CUDA out of memory" });
      const { llm, calls } = client(fake, { llm: { max_attempts: 3, breaker_failures: 10 } });
      const error = await llm.chat("judge", ask("verdict?")).catch((e) => e);
      expect(error).toBeInstanceOf(LlmCallError);
      expect(error.message).toContain('judge call failed on endpoint "fake"');
      expect(error.message).toContain('model "qwen3:8b"');
      expect(error.message).toContain("after 3 attempts: server: HTTP 500 CUDA out of memory");
      expect(calls().filter((c) => c.status === "error")).toHaveLength(3);
      expect(llm.usage().totals.failures).toBe(1);
    });

    test("an open circuit breaker stops sending requests, then one trial closes it", async () => {
      fake.fault({ kind: "server_error" }, { times: 3 });
      const { llm, calls } = client(fake, { llm: { breaker_failures: 2, breaker_cooldown_ms: 60, max_attempts: 8 } });
      expect((await llm.chat("agent", ask("breaker"))).content).toBe("ok");
      const kinds = calls().map((c) => c.error_kind);
      expect(kinds).toContain("circuit_open");
      expect(kinds.at(-1)).toBeNull();
      // 3 real failures + 1 success reached the server; the circuit_open attempts did not
      expect(fake.requests).toHaveLength(4);
      expect(llm.usage().endpoints.fake!.breaker.state).toBe("closed");
    });

    test("a 404 model is not retried and says how to get the model", async () => {
      const cfg = fake.config({ transport });
      cfg.roles.agent!.targets[0]!.model = "llama9:1b";
      const store = openStore(":memory:");
      const llm = createLlm({ config: cfg, store, cacheMode: "off", env: {} });
      const e = await llm.chat("agent", ask("x")).catch((err) => err);
      await llm.close();
      expect(e.message).toContain('HTTP 404 model "llama9:1b" not found, try pulling it first');
      expect(e.hint).toContain("ollama pull llama9:1b");
      expect(fake.requests).toHaveLength(1);
      expect(listLlmCalls(store).map((c) => c.error_kind)).toEqual(["client"]);
    });

    test("a model without tool support fails once with a clear message", async () => {
      const cfg = fake.config({ transport });
      cfg.roles.agent!.targets[0]!.model = "gemma3:4b";
      const llm = createLlm({ config: cfg, cacheMode: "off", env: {} });
      const e = await llm.chat("agent", { ...ask("find me"), tools: TOOLS }).catch((err) => err);
      expect(e.kind).toBe("client");
      expect(e.message).toContain("does not support tools");
      expect(e.hint).toContain('model "gemma3:4b" does not support tools');
      expect(fake.requests).toHaveLength(1);
    });
  });

  test("a server that wants max_completion_tokens gets it, same cache key", async () => {
    fake.fault({ kind: "server_error", status: 400, message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead." }, { times: 1 });
    const { llm } = client();
    const r = await llm.chat("judge", { ...ask("short"), maxTokens: 16 });
    expect(r.attempts).toBe(2);
    expect(fake.requests[0]!.body.max_tokens).toBe(16);
    expect(fake.requests[1]!.body).toMatchObject({ max_completion_tokens: 16 });
    expect(fake.requests[1]!.body.max_tokens).toBeUndefined();
    const again = await llm.chat("judge", { ...ask("short"), maxTokens: 16 });
    expect(again.attempts).toBe(1); // the endpoint remembers
  });

  describe("shape faults are normalised", () => {
    const args = { email: "ann@example.com" };
    for (const stream of [false, true]) {
      for (const fault of [{ kind: "tool_calls_in_content" as const }, { kind: "tool_calls_in_content" as const, style: "json-content" as const }, { kind: "object_arguments" as const }, { kind: "missing_ids" as const }]) {
        test(`${fault.kind}${"style" in fault ? `/${fault.style}` : ""}${stream ? " (streamed)" : ""}`, async () => {
          fake.reply({ role: "agent" }, toolCall("find_user_id_by_email", args));
          fake.fault(fault);
          const { llm, calls } = client();
          const r = await llm.chat("agent", { ...ask("I am Ann"), tools: TOOLS, stream });
          expect(r.toolCalls).toHaveLength(1);
          expect(r.toolCalls[0]!.name).toBe("find_user_id_by_email");
          expect(r.toolCalls[0]!.arguments).toEqual(args);
          expect(r.toolCalls[0]!.id.length).toBeGreaterThan(0);
          expect(r.finishReason).toBe("tool_calls");
          expect(r.repairs.length).toBeGreaterThan(0);
          expect(calls()[0]!.raw_json).not.toBeNull();
          expect(calls()[0]!.streamed).toBe(stream ? 1 : 0);
        });
      }
    }

    test("llama.cpp's empty tool-call ids and vLLM's error bodies", async () => {
      for (const flavor of ["llamacpp", "vllm"] as const) {
        const f = await startFakeOpenAI({ flavor });
        try {
          f.reply({}, toolCall("get_order_details", { order_id: "#W1" }));
          f.fault({ kind: "missing_ids" }, { times: 1 });
          f.fault({ kind: "server_error", status: 503, message: "engine overloaded" }, { times: 1 });
          const { llm, calls } = client(f);
          const r = await llm.chat("agent", { ...ask("order"), tools: TOOLS });
          expect(r.toolCalls[0]!.id).toMatch(/^call_/);
          expect(calls()[0]!.error).toBe("HTTP 503 engine overloaded");
        } finally {
          await f.stop();
        }
      }
    });

    test("a stream that stalls midway is stopped by the timeout and retried", async () => {
      fake.fault({ kind: "stall" }, { times: 1 });
      const { llm, calls } = client(fake, { timeout_ms: 150 });
      const r = await llm.chat("user", { ...ask("stream and stall"), stream: true });
      expect(r.content).toBe("ok");
      expect(calls()[0]!.error_kind).toBe("timeout");
      expect(calls().at(-1)!.status).toBe("ok");
      expect(fake.requests[0]!.outcome).toBe("stall");
    });

    test("a stream cut before its end is retried, never returned as a fragment", async () => {
      fake.fault({ kind: "truncated" }, { times: 1 });
      const { llm, calls } = client();
      const r = await llm.chat("user", { ...ask("stream please"), stream: true });
      expect(r.content).toBe("ok");
      expect(calls()[0]!.status).toBe("error");
    });
  });
});
}
