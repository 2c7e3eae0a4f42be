/** probeEndpoint, which `ppol doctor` calls for each endpoint. */
import { afterAll, describe, expect, test } from "bun:test";
import { probeEndpoint } from "../../src/llm/index.ts";
import { startFakeOpenAI, toolCall } from "../support/fake-openai.ts";

const fake = await startFakeOpenAI({ models: ["qwen3:8b", "gemma3:4b", "llama3:latest"], noTools: ["gemma3:4b"] });
fake.reply({ tools: true }, toolCall("get_time", { city: "Paris" }));
afterAll(() => fake.stop());

describe("probeEndpoint", () => {
  test("a healthy endpoint and model", async () => {
    const r = await probeEndpoint({ baseUrl: fake.baseUrl, model: "qwen3:8b", timeoutMs: 5000 });
    expect(r).toMatchObject({ reachable: true, modelPresent: true, completionOk: true, toolsOk: true, warnings: [] });
    expect(r.fix).toBeUndefined();
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(r.models).toContain("qwen3:8b");
    const probe = fake.requests.at(-2)!;
    expect(probe.body.max_tokens).toBe(1);
  });

  test("Ollama's llama3 = llama3:latest", async () => {
    expect((await probeEndpoint({ baseUrl: fake.baseUrl, model: "llama3", timeoutMs: 5000 })).modelPresent).toBe(true);
  });

  test("a model without tool support says so", async () => {
    const r = await probeEndpoint({ baseUrl: fake.baseUrl, model: "gemma3:4b", timeoutMs: 5000 });
    expect(r).toMatchObject({ reachable: true, modelPresent: true, completionOk: true, toolsOk: false });
    expect(r.fix).toContain("this model does not support tools");
  });

  test("a missing model", async () => {
    const r = await probeEndpoint({ baseUrl: fake.baseUrl, model: "mistral:7b", timeoutMs: 5000 });
    expect(r).toMatchObject({ reachable: true, modelPresent: false, completionOk: false });
    expect(r.fix).toContain("ollama pull mistral:7b");
  });

  test("tool calls written in content still count, with a warning", async () => {
    fake.fault({ kind: "tool_calls_in_content" }, { match: { tools: true }, times: 1 });
    const r = await probeEndpoint({ baseUrl: fake.baseUrl, model: "qwen3:8b", timeoutMs: 5000 });
    expect(r.toolsOk).toBe(true);
    expect(r.warnings.join()).toContain("tool calls parsed from content");
  });

  test("nothing listening", async () => {
    const dead = await startFakeOpenAI();
    const url = dead.baseUrl;
    await dead.stop();
    const r = await probeEndpoint({ baseUrl: url, model: "qwen3:8b", timeoutMs: 2000 });
    expect(r).toMatchObject({ reachable: false, modelPresent: false, completionOk: false, toolsOk: false });
    expect(r.fix).toContain(`cannot reach ${url}`);
  });

  test("vLLM without --enable-auto-tool-choice", async () => {
    const vllm = await startFakeOpenAI({ flavor: "vllm", models: ["m"] });
    vllm.fault({ kind: "server_error", status: 400, message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set' }, { match: { tools: true } });
    const r = await probeEndpoint({ baseUrl: vllm.baseUrl, model: "m", timeoutMs: 5000 });
    expect(r).toMatchObject({ completionOk: true, toolsOk: false });
    expect(r.fix).toContain("--enable-auto-tool-choice --tool-call-parser");
    await vllm.stop();
  });

  test("a vLLM-like server without /api/tags", async () => {
    const vllm = await startFakeOpenAI({ flavor: "vllm", models: ["Qwen/Qwen3-8B"] });
    vllm.reply({ tools: true }, toolCall("get_time", { city: "Paris" }));
    const r = await probeEndpoint({ baseUrl: vllm.baseUrl, model: "Qwen/Qwen3-8B", timeoutMs: 5000 });
    expect(r).toMatchObject({ reachable: true, modelPresent: true, completionOk: true, toolsOk: true });
    await vllm.stop();
  });
});
