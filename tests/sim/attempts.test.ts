/**
 * Episodes whose output τ² could not parse are re-run like the PPol reference does (up to 5 attempts,
 * agent temperature 0, 0, 0.4, 0.7, 1.0), through the real LLM layer against the fake server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlm } from "../../src/llm/index.ts";
import { ATTEMPT_SAMPLE_STRIDE, runEpisodeAttempts, unparseableAgentReply, type AttemptSpec, type EpisodeEnvironment } from "../../src/sim/index.ts";
import { openStore } from "../../src/store/index.ts";
import { startFakeOpenAI, text, toolCall, type FakeOpenAI, type Reply } from "../support/fake-openai/index.ts";

/** A tool call whose arguments are the given raw text (what a model may send). */
const brokenCall = (name: string, args: string): Reply => ({ toolCalls: [{ name, arguments: args }] });

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
beforeEach(() => fake.reset());
afterAll(() => fake.stop());

/** A one-tool environment; counts how many were made (one per attempt) and what ran on each. */
function envs() {
  const made: string[][] = [];
  const factory = (): EpisodeEnvironment => {
    const calls: string[] = [];
    made.push(calls);
    return {
      tools: [{ type: "function", function: { name: "lookup", description: "look up an order", parameters: { type: "object", properties: { id: { type: "string" } } } } }],
      execute(name, args) {
        calls.push(`${name}(${JSON.stringify(args)})`);
        return { content: `{"id": "${args.id}", "status": "pending"}`, error: false };
      },
    };
  };
  return { made, factory };
}

const spec = (env: () => EpisodeEnvironment, llm = createLlm({ config: fake.config(), cacheMode: "off" })): AttemptSpec => ({
  llm,
  env,
  agentSystemPrompt: "<policy>be nice</policy>",
  userSystemPrompt: "You are a customer.",
  maxSteps: 30,
  seed: 7,
});
const agentTemperatures = () => fake.requests.filter((r) => r.role === "agent").map((r) => r.body.temperature);

describe("re-running unparseable episodes", () => {
  test("broken tool-call JSON: the whole episode is re-run on a fresh environment, the failed attempt recorded", async () => {
    fake.conversation({ role: "user" }, [text("where is W1?"), text("where is W1?"), text("thanks ###STOP###")]);
    fake.conversation({ role: "agent" }, [brokenCall("lookup", "not json at all"), toolCall("lookup", { id: "W1" }), text("It is pending.")]);
    const { made, factory } = envs();
    const out = await runEpisodeAttempts(spec(factory));
    expect(out.termination).toBe("user_stop");
    expect(out.retries).toHaveLength(1);
    expect(out.retries[0]).toMatchObject({ attempt: 0, agent_temperature: 0, party: "agent", turn: 2, steps: 1, llm_calls: 2 });
    expect(out.retries[0]!.reason).toContain("arguments of lookup unreadable");
    // The broken call never reached an environment; the second attempt's did, on its own environment.
    expect(made).toEqual([[], ['lookup({"id":"W1"})']]);
    expect(out.messages.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "tool", "assistant", "user"]);
    // Usage covers both attempts: 2 calls, then user, agent, agent, user.
    expect(out.usage.calls).toBe(6);
    expect(agentTemperatures()).toEqual([0, 0, 0]);
    expect(fake.unplayed()).toBe(0);
  });

  test("never parseable: 5 attempts at agent temperatures 0, 0, 0.4, 0.7, 1.0, then agent_error with every attempt recorded", async () => {
    fake.reply({ role: "user" }, text("hello?"));
    fake.reply({ role: "agent" }, brokenCall("lookup", "{{{{"));
    const out = await runEpisodeAttempts(spec(envs().factory));
    expect(out.termination).toBe("agent_error");
    expect(out.unparseable?.party).toBe("agent");
    expect(out.retries.map((r) => [r.attempt, r.agent_temperature])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0.4],
      [3, 0.7],
      [4, 1],
    ]);
    expect(agentTemperatures()).toEqual([0, 0, 0.4, 0.7, 1]);
    // User calls keep the user role's temperature (0 by default).
    expect(fake.requests.filter((r) => r.role === "user").map((r) => r.body.temperature)).toEqual([0, 0, 0, 0, 0]);
    expect(out.usage.calls).toBe(10);
  });

  test("an empty agent message (no text, no tool calls) and an empty user message are unparseable too", async () => {
    fake.conversation({ role: "user" }, [text("hi"), text("   "), text("hi"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [text(""), text("Hello, what do you need?")]);
    const out = await runEpisodeAttempts(spec(envs().factory));
    expect(out.retries.map((r) => [r.party, r.reason])).toEqual([
      ["agent", "empty message: no text and no tool calls"],
      ["user", "empty message"],
    ]);
    expect(out.termination).toBe("user_stop");
    expect(agentTemperatures()).toEqual([0, 0.4]);
  });

  test("what the LLM layer can read is not retried: tool calls written as text, a broken response body retried by the client", async () => {
    fake.conversation({ role: "user" }, [text("status of W9?"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [toolCall("lookup", { id: "W9" }), text("Pending.")]);
    fake.fault({ kind: "tool_calls_in_content", style: "hermes" }, { match: { role: "agent" }, times: 1 });
    fake.fault({ kind: "invalid_json" }, { match: { role: "agent" }, times: 1 });
    const { made, factory } = envs();
    const out = await runEpisodeAttempts(spec(factory));
    expect(out.termination).toBe("user_stop");
    expect(out.retries).toEqual([]);
    expect(made).toEqual([['lookup({"id":"W9"})']]);
    expect(fake.requests.some((r) => r.outcome === "invalid_json")).toBe(true);
  });

  test("repaired tool-call JSON is used; with strictToolJson it counts as unparseable, as τ²'s json.loads would", async () => {
    const script = () => {
      fake.conversation({ role: "user" }, [text("where is W1?"), text("where is W1?"), text("###STOP###")]);
      fake.conversation({ role: "agent" }, [brokenCall("lookup", '{"id": "W1",}'), toolCall("lookup", { id: "W1" }), text("Pending.")]);
    };
    script();
    const lenient = await runEpisodeAttempts(spec(envs().factory));
    expect(lenient.retries).toEqual([]);
    expect(lenient.messages.find((m) => m.role === "tool")).toMatchObject({ content: '{"id": "W1", "status": "pending"}' });
    fake.reset();
    script();
    const strict = await runEpisodeAttempts({ ...spec(envs().factory), strictToolJson: true });
    expect(strict.retries.map((r) => r.reason)).toEqual(["arguments of lookup: repaired malformed JSON"]);
    expect(strict.termination).toBe("user_stop");
  });

  test("a role temperature above 0 is the floor of the schedule", async () => {
    fake.reply({ role: "user" }, text("hello?"));
    fake.reply({ role: "agent" }, text(""));
    const out = await runEpisodeAttempts(spec(envs().factory), { baseTemperature: 0.5 });
    expect(out.retries.map((r) => r.agent_temperature)).toEqual([0.5, 0.5, 0.5, 0.7, 1]);
    expect(agentTemperatures()).toEqual([0.5, 0.5, 0.5, 0.7, 1]);
  });

  test("with the archive cache on, a repeated attempt at temperature 0 is asked anew, not replayed; a replay gives the same episode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-attempts-"));
    const store = openStore(join(dir, "a.sqlite"));
    try {
      fake.conversation({ role: "user" }, [text("hi"), text("hi"), text("###STOP###")]);
      fake.conversation({ role: "agent" }, [text(""), text("Hello!")]);
      const rw = createLlm({ config: fake.config(), store, cacheMode: "rw" });
      const first = await runEpisodeAttempts({ ...spec(envs().factory, rw), sample: 3 });
      await rw.close();
      expect(first.retries).toHaveLength(1);
      expect(fake.requests.filter((r) => r.role === "agent")).toHaveLength(2);
      fake.reset();
      const ro = createLlm({ config: fake.config(), store, cacheMode: "ro" });
      const again = await runEpisodeAttempts({ ...spec(envs().factory, ro), sample: 3 });
      await ro.close();
      expect(fake.requests).toHaveLength(0);
      expect(again.messages).toEqual(first.messages);
      expect(again.retries).toEqual(first.retries);
      expect(ATTEMPT_SAMPLE_STRIDE).toBeGreaterThan(1_000_000);
    } finally {
      store.close();
    }
  });
});

describe("unparseableAgentReply", () => {
  const reply = (content: string, toolCalls: { id: string; name: string; arguments: Record<string, unknown> }[] = [], repairs: string[] = []) => ({ content, toolCalls, repairs });
  test("text or a readable tool call is fine, repaired JSON included", () => {
    expect(unparseableAgentReply(reply("Hello"))).toBeUndefined();
    expect(unparseableAgentReply(reply("", [{ id: "c", name: "lookup", arguments: {} }], ["arguments of lookup: repaired malformed JSON"]))).toBeUndefined();
  });
  test("whitespace only, unreadable arguments, a nameless call", () => {
    expect(unparseableAgentReply(reply(" \n"))).toBe("empty message: no text and no tool calls");
    expect(unparseableAgentReply(reply("", [{ id: "c", name: "lookup", arguments: {} }], ["arguments of lookup unreadable, replaced by {}: xx"]))).toContain("unreadable");
    expect(unparseableAgentReply(reply("hi", [], ["tool call 0 without a function name dropped"]))).toContain("without a function name");
  });
});
