/** The fake server itself, as other tests use it (also without ppol's client). */
import { afterAll, describe, expect, test } from "bun:test";
import { startFakeOpenAI, text, toolCall } from "../support/fake-openai.ts";

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }));

const fake = await startFakeOpenAI({ models: ["qwen3:8b"] });
afterAll(() => fake.stop());

describe("fake OpenAI server", () => {
  test("scripts: conversation queues first, then rules with times, then the default; matching by role, system, last", async () => {
    fake.reset();
    fake.conversation({ role: "user" }, [text("first"), text("second")]);
    fake.reply({ system: /policy/ }, "policy reply", { times: 1 });
    fake.reply({ last: "weather" }, toolCall("get_time", { city: "Oslo" }));
    const ask = (content: string, role = "user", system = "sys") => post(fake.baseUrl, { model: "qwen3:8b", messages: [{ role: "system", content: system }, { role: "user", content }] }, { "x-ppol-role": role });
    const contents = [];
    for (const [c, r, s] of [["a", "user", "sys"], ["b", "user", "sys"], ["c", "user", "sys"], ["d", "agent", "the policy"], ["e", "agent", "the policy"]] as const) contents.push((await ask(c, r, s)).body.choices[0].message.content);
    expect(contents).toEqual(["first", "second", "ok", "policy reply", "ok"]);
    const tool = (await ask("what is the weather")).body.choices[0];
    expect(tool.finish_reason).toBe("tool_calls");
    expect(tool.message.tool_calls[0].function).toEqual({ name: "get_time", arguments: '{"city":"Oslo"}' });
    expect(fake.requests.map((r) => r.role)).toEqual(["user", "user", "user", "agent", "agent", "user"]);
    expect(fake.requests[3]!.system).toBe("the policy");
  });

  test("models, tags, and error bodies per flavor", async () => {
    expect((await (await fetch(`${fake.baseUrl}/models`)).json()).data[0].id).toBe("qwen3:8b");
    expect((await (await fetch(`${fake.origin}/api/tags`)).json()).models[0].name).toBe("qwen3:8b");
    const vllm = await startFakeOpenAI({ flavor: "vllm" });
    expect((await fetch(`${vllm.origin}/api/tags`)).status).toBe(404);
    vllm.fault({ kind: "server_error", status: 400, message: "too long" }, { times: 1 });
    const r = await post(vllm.baseUrl, { model: "qwen3:8b", messages: [{ role: "user", content: "x" }] });
    expect(r.body).toEqual({ object: "error", message: "too long", type: "BadRequestError", param: null, code: 400 });
    await vllm.stop();
    fake.reset();
    fake.fault({ kind: "rate_limit", retryAfterS: 3 }, { times: 1 });
    const limited = await post(fake.baseUrl, { model: "qwen3:8b", messages: [{ role: "user", content: "x" }] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(limited.body.error.message).toBe("too many requests");
  });

  test("streaming sends role, pieces, finish and usage, then [DONE]", async () => {
    fake.reset();
    fake.reply({}, toolCall("get_time", { city: "Oslo" }, { content: "" }));
    const res = await fetch(`${fake.baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "qwen3:8b", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "x" }] }) });
    const events = (await res.text()).split("\n\n").filter(Boolean);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
    expect(chunks.at(-1).usage.prompt_tokens).toBeGreaterThan(0);
    const args = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).map((t: any) => t.function.arguments ?? "").join("");
    expect(JSON.parse(args)).toEqual({ city: "Oslo" });
    expect(chunks.at(-2).choices[0].finish_reason).toBe("tool_calls");
  });
});
