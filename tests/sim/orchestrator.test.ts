import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createLlm } from "../../src/llm/index.ts";
import { type EpisodeEnvironment, runEpisode, userView } from "../../src/sim/orchestrator.ts";
import { startFakeOpenAI, text, toolCall, type FakeOpenAI } from "../support/fake-openai/index.ts";

/** A tiny two-tool environment: enough to drive every orchestrator path without τ² data. */
function counterEnv(): EpisodeEnvironment & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    tools: [
      { type: "function", function: { name: "lookup", description: "look up an order", parameters: { type: "object", properties: { id: { type: "string" } } } } },
      { type: "function", function: { name: "broken", description: "always fails", parameters: { type: "object", properties: {} } } },
    ],
    execute(name, args) {
      calls.push(`${name}(${JSON.stringify(args)})`);
      if (name === "lookup") return { content: `{"id": "${args.id}", "status": "pending"}`, error: false };
      return { content: "Error: this tool always fails", error: true };
    },
  };
}

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
beforeEach(() => fake.reset());
afterAll(() => fake.stop());

const llm = () => createLlm({ config: fake.config(), cacheMode: "off" });
const spec = (env: EpisodeEnvironment, maxSteps = 30) => ({ llm: llm(), env, agentSystemPrompt: "<policy>be nice</policy>", userSystemPrompt: "You are a customer.", maxSteps, seed: 7 });

describe("orchestrator", () => {
  test("greeting, tool round trip, user stop: the τ² message flow", async () => {
    fake.conversation({ role: "user" }, [text("hi, where is order W1?"), text("thanks ###STOP###")]);
    fake.conversation({ role: "agent" }, [toolCall("lookup", { id: "W1" }), text("Your order W1 is pending.")]);
    const env = counterEnv();
    const out = await runEpisode(spec(env));
    expect(out.termination).toBe("user_stop");
    expect(out.stopToken).toBe("###STOP###");
    expect(out.messages.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "tool", "assistant", "user"]);
    expect(out.messages[0]!.content).toBe("Hi! How can I help you today?");
    expect(env.calls).toEqual(['lookup({"id":"W1"})']);
    // user, agent, env, agent, user = 5 steps
    expect(out.steps).toBe(5);
    // The simulator never saw the tool call or its result, and saw the agent as "user".
    const userRequests = fake.requests.filter((r) => r.role === "user");
    const lastUserView = userRequests.at(-1)!.body.messages;
    expect(lastUserView.map((m: any) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(JSON.stringify(lastUserView)).not.toContain("pending\"}");
    // Both LLMs got the seed.
    expect(fake.requests.every((r) => r.body.seed === 7)).toBe(true);
  });

  test("transfer and out-of-scope tokens end the episode as user stops", async () => {
    for (const token of ["###TRANSFER###", "###OUT-OF-SCOPE###"]) {
      fake.reset();
      fake.conversation({ role: "user" }, [text(`ok ${token}`)]);
      const out = await runEpisode(spec(counterEnv()));
      expect(out.termination).toBe("user_stop");
      expect(out.stopToken).toBe(token);
    }
  });

  test("max steps ends a conversation that never stops", async () => {
    fake.reply({ role: "user" }, text("and?"));
    fake.reply({ role: "agent" }, text("hmm"));
    const out = await runEpisode(spec(counterEnv(), 6));
    expect(out.termination).toBe("max_steps");
    expect(out.steps).toBe(6);
  });

  test("ten tool errors end the episode, counted over the whole run", async () => {
    fake.reply({ role: "user" }, text("try again"));
    fake.reply({ role: "agent" }, toolCall("broken", {}));
    const out = await runEpisode(spec(counterEnv(), 200));
    expect(out.termination).toBe("too_many_errors");
    expect(out.toolErrors).toBe(10);
  });

  test("tool calls written as text by a local model still reach the environment", async () => {
    fake.conversation({ role: "user" }, [text("status of W9?"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [toolCall("lookup", { id: "W9" }), text("Pending.")]);
    fake.fault({ kind: "tool_calls_in_content", style: "hermes" }, { match: { role: "agent" }, times: 1 });
    const env = counterEnv();
    const out = await runEpisode(spec(env));
    expect(env.calls).toEqual(['lookup({"id":"W9"})']);
    expect(out.termination).toBe("user_stop");
  });

  test("an LLM failure ends the episode as an infrastructure error, with the message", async () => {
    fake.fault({ kind: "not_found" }, { times: 100 });
    const out = await runEpisode(spec(counterEnv()));
    expect(out.termination).toBe("infrastructure_error");
    expect(out.error).toBeTruthy();
  });

  test("a message with text and tool calls goes to the environment; the user never sees its text", () => {
    const view = userView("sys", [
      { role: "assistant", content: "Hi!", turn: 0 },
      { role: "user", content: "help", turn: 1 },
      { role: "assistant", content: "Let me look", toolCalls: [{ id: "c1", name: "lookup", arguments: {} }], turn: 2 },
      { role: "tool", content: "{}", toolCallId: "c1", name: "lookup", error: false, turn: 3 },
      { role: "assistant", content: "Found it.", turn: 4 },
    ]);
    expect(view).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "Hi!" },
      { role: "assistant", content: "help" },
      { role: "user", content: "Found it." },
    ]);
  });
});
