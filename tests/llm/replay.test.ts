/** Record with rw, replay with ro and no server: identical results; misses name the hash and role. */
import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { Config } from "../../src/config/schema.ts";
import { assistantMessage, type ChatMessage, type ChatResult, createLlm, expandRequest, type Llm, LlmCallError, recordedRequest } from "../../src/llm/index.ts";
import { getLlmRequest, listLlmCalls } from "../../src/store/llm.ts";
import { startFakeOpenAI, text, toolCall } from "../support/fake-openai.ts";
import { ask, tmpArchive, TOOLS } from "./_helpers.ts";

/** A small τ²-like episode plus a judge and three mutator samples of one prompt. */
async function workflow(llm: Llm): Promise<unknown[]> {
  const keep = (r: ChatResult) => ({ content: r.content, toolCalls: r.toolCalls, finishReason: r.finishReason, usage: r.usage, model: r.model, hash: r.requestHash });
  const out: unknown[] = [];
  const userMsgs: ChatMessage[] = [{ role: "system", content: "You are Ann. <scenario>return a lamp</scenario>" }, { role: "user", content: "Hi! How can I help you today?" }];
  const agentMsgs: ChatMessage[] = [{ role: "system", content: `<policy>${"Follow the retail policy. ".repeat(12)}</policy>` }, { role: "assistant", content: "Hi! How can I help you today?" }];
  for (let turn = 0; turn < 4; turn++) {
    const u = await llm.chat("user", { messages: userMsgs, temperature: 0.7, seed: 300 });
    out.push(keep(u));
    if (u.content.includes("###STOP###")) break;
    userMsgs.push({ role: "assistant", content: u.content });
    agentMsgs.push({ role: "user", content: u.content });
    let a = await llm.chat("agent", { messages: agentMsgs, tools: TOOLS, seed: 300 });
    out.push(keep(a));
    while (a.toolCalls.length) {
      agentMsgs.push(assistantMessage(a));
      for (const call of a.toolCalls) agentMsgs.push({ role: "tool", toolCallId: call.id, content: JSON.stringify({ ok: true, call: call.name }) });
      a = await llm.chat("agent", { messages: agentMsgs, tools: TOOLS, seed: 300, stream: true });
      out.push(keep(a));
    }
    agentMsgs.push({ role: "assistant", content: a.content });
    userMsgs.push({ role: "user", content: a.content });
  }
  const verdict = await llm.chatJson("judge", ask("Did the agent confirm the return?"), z.object({ met: z.boolean() }));
  out.push(verdict.value, keep(verdict.result));
  for (let i = 0; i < 3; i++) out.push(keep(await llm.chat("mutator", { ...ask("Improve this persona generator."), temperature: 1 })));
  return out;
}

async function scriptedServer() {
  const fake = await startFakeOpenAI();
  fake.conversation({ role: "user" }, [text("Hi, I want to return a lamp from order #W1."), text("Great, thanks! ###STOP###")]);
  fake.conversation({ role: "agent" }, [
    toolCall("find_user_id_by_email", { email: "ann@example.com" }),
    { toolCalls: [{ name: "get_order_details", arguments: { order_id: "#W1" }, id: null }] },
    text("Your return for the lamp is confirmed."),
  ]);
  fake.reply({ role: "judge" }, '```json\n{"met": true,}\n```');
  fake.reply({ role: "mutator" }, (req) => `variant from request ${req.seq}`);
  return fake;
}

describe("record / replay", () => {
  test("rw run, then ro with the server stopped and another endpoint config: identical results", async () => {
    const archive = tmpArchive();
    const fake = await scriptedServer();
    const store = archive.open();
    const recorder = createLlm({ config: fake.config(), store, cacheMode: "rw", env: {} });
    const recorded = await workflow(recorder);
    await recorder.close();
    const served = fake.requests.length;
    expect(fake.unplayed()).toBe(0);
    await fake.stop();
    store.close();
    // 2 user turns, 3 agent turns (2 tool calls, one without id), 1 judge, 3 mutator samples; + the parsed verdict
    expect(served).toBe(9);
    expect(recorded).toHaveLength(10);
    expect((recorded[2] as ChatResult).toolCalls[0]!.id).toMatch(/^call_[0-9a-f]{12}_0$/);
    const mutations = recorded.slice(-3).map((r: any) => r.content);
    expect(new Set(mutations).size).toBe(3); // three samples of one prompt stay three answers

    const other = Config.parse({ endpoints: { elsewhere: { base_url: "http://127.0.0.1:9/v1" } }, roles: { agent: { targets: [{ endpoint: "elsewhere", model: "qwen3:8b" }] } } });
    const replayStore = archive.open();
    const llm = createLlm({ config: { ...other, endpoints: { ...other.endpoints, local: other.endpoints.elsewhere! } }, store: replayStore, cacheMode: "ro", env: {} });
    const replayed = await workflow(llm);
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(recorded));
    expect(llm.usage().totals.cached).toBe(recorded.length - 1);
    replayStore.close();
  });

  test("rw reuses recorded answers across clients; a changed model is not served from the archive", async () => {
    const archive = tmpArchive();
    const first = await scriptedServer();
    const store = archive.open();
    const firstLlm = createLlm({ config: first.config(), store, cacheMode: "rw", env: {} });
    const a = await workflow(firstLlm);
    await firstLlm.close();
    await first.stop();
    const second = await startFakeOpenAI({ models: ["qwen3:8b", "llama3.1:8b"] });
    const b = await workflow(createLlm({ config: second.config(), store, cacheMode: "rw", env: {} }));
    expect(second.requests).toHaveLength(0);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const cfg = second.config();
    cfg.roles.judge = { targets: [{ endpoint: "fake", model: "llama3.1:8b", weight: 1 }] };
    second.reply({}, '{"met": false}');
    const r = await createLlm({ config: cfg, store, cacheMode: "rw", env: {} }).chatJson("judge", ask("Did the agent confirm the return?"), z.object({ met: z.boolean() }));
    expect(r.value).toEqual({ met: false });
    expect(r.result.model).toBe("llama3.1:8b");
    expect(second.requests).toHaveLength(1);
    await second.stop();
  });

  test("the archive keeps each request exactly (long texts once) and every attempt", async () => {
    const archive = tmpArchive();
    const fake = await scriptedServer();
    const store = archive.open();
    const llm = createLlm({ config: fake.config(), store, cacheMode: "rw", env: {}, runId: undefined });
    const results = (await workflow(llm)).filter((r): r is { hash: string } => typeof r === "object" && r !== null && "hash" in r);
    await llm.close();
    for (const { hash } of results) {
      const stored = getLlmRequest(store, hash)!;
      expect(new Bun.CryptoHasher("sha256").update(expandRequest(stored)).digest("hex")).toBe(hash);
    }
    const first = recordedRequest(store, results[1]!.hash)!;
    expect(first.role).toBe("agent");
    expect((first.body.messages as { content: string }[])[0]!.content).toStartWith("<policy>Follow the retail policy.");
    expect((first.body.tools as unknown[]).length).toBe(2);
    // the agent's policy and the tool list are stored once, not once per agent turn
    const blobs = store.db.query("SELECT text FROM llm_blobs").all() as { text: string }[];
    expect(blobs.filter((b) => b.text.includes('"find_user_id_by_email"'))).toHaveLength(1);
    expect(blobs.filter((b) => b.text.startsWith("<policy>"))).toHaveLength(1);
    const agentRequests = store.db.query("SELECT request_json FROM llm_requests WHERE role = 'agent'").all() as { request_json: string }[];
    expect(agentRequests).toHaveLength(3);
    expect(agentRequests.every((r) => r.request_json.includes('"tools":{"$blob":"'))).toBe(true);
    store.close();
    await fake.stop();
  });

  test("an archive that cannot be written is reported by the next call, not lost or thrown from a timer", async () => {
    const fake = await startFakeOpenAI();
    const store = tmpArchive().open();
    const llm = createLlm({ config: fake.config(), store, cacheMode: "rw", env: {} });
    await llm.chat("judge", ask("before"));
    store.db.exec("DROP TABLE llm_calls"); // stand-in for a full disk or a locked file
    await Bun.sleep(60); // the write-behind timer fires and fails
    const error = await llm.chat("judge", ask("after")).catch((e) => e);
    expect(error.message).toMatch(/^archive write failed: no such table: llm_calls/);
    await fake.stop();
  });

  test("ro never touches the network and a missing answer names the role and request hash", async () => {
    const fake = await startFakeOpenAI();
    const archive = tmpArchive();
    const llm = createLlm({ config: fake.config(), store: archive.open(), cacheMode: "ro", env: {} });
    const error = await llm.chat("reflector", ask("What worked?")).catch((e) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error.message).toMatch(/^replay: no recorded answer for the reflector call with request hash [0-9a-f]{64}$/);
    expect(error.message).toContain(error.requestHash);
    expect(fake.requests).toHaveLength(0);
    await fake.stop();
  });

  test("ro writes nothing; off records but does not reuse", async () => {
    const fake = await startFakeOpenAI();
    const archive = tmpArchive();
    const store = archive.open();
    const off = createLlm({ config: fake.config(), store, cacheMode: "off", env: {} });
    await off.chat("judge", { ...ask("same"), sample: 0 });
    await off.chat("judge", { ...ask("same"), sample: 0 });
    await off.close();
    expect(fake.requests).toHaveLength(2);
    expect(listLlmCalls(store)).toHaveLength(2);
    const ro = createLlm({ config: fake.config(), store, cacheMode: "ro", env: {} });
    expect((await ro.chat("judge", { ...ask("same"), sample: 0 })).cached).toBe(true);
    expect(listLlmCalls(store)).toHaveLength(2);
    await fake.stop();
  });

  test("the cache key ignores endpoint, model and key order, but not role, sample or settings", async () => {
    const fake = await startFakeOpenAI();
    const store = tmpArchive().open();
    const llm = createLlm({ config: fake.config(), store, cacheMode: "off", env: {} });
    const base = await llm.chat("user", { ...ask("k"), sample: 0, temperature: 0.5 });
    const reordered = await llm.chat("user", { temperature: 0.5, sample: 0, messages: [{ content: "k", role: "user" }] });
    expect(reordered.requestHash).toBe(base.requestHash);
    for (const changed of [llm.chat("agent", { ...ask("k"), sample: 0, temperature: 0.5 }), llm.chat("user", { ...ask("k"), sample: 1, temperature: 0.5 }), llm.chat("user", { ...ask("k"), sample: 0, temperature: 0.6 })])
      expect((await changed).requestHash).not.toBe(base.requestHash);
    await fake.stop();
  });
});
