/** Bad LLM config fails early with exit 2 naming the field; budgets stop new work cleanly. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.ts";
import { Config } from "../../src/config/schema.ts";
import { exitCodeOf } from "../../src/errors.ts";
import { BudgetExhausted, createLlm, formatUsage } from "../../src/llm/index.ts";
import { startFakeOpenAI } from "../support/fake-openai.ts";
import { ask } from "./_helpers.ts";

function loadToml(toml: string) {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-llm-cfg-"));
  writeFileSync(join(cwd, "ppol.toml"), toml);
  return loadConfig({ cwd, env: {} });
}

function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (error) {
    return { code: exitCodeOf(error), message: (error as Error).message };
  }
  throw new Error("expected an error");
}

describe("bad config → exit 2 naming the field", () => {
  test("unknown role", () => {
    const e = failure(() => loadToml('[[roles.agnet.targets]]\nendpoint = "local"\nmodel = "m"\n'));
    expect(e.code).toBe(2);
    expect(e.message).toContain('unknown key "roles.agnet" (did you mean "agent"?)');
  });

  test("weight ≤ 0", () => {
    for (const w of ["0", "-1"]) {
      const e = failure(() => loadToml(`[[roles.agent.targets]]\nendpoint = "local"\nmodel = "m"\nweight = ${w}\n`));
      expect(e.code).toBe(2);
      expect(e.message).toContain("roles.agent.targets.0.weight");
    }
  });

  test("bad URL", () => {
    const e = failure(() => loadToml('[endpoints.vllm]\nbase_url = "localhost:8000/v1"\n'));
    expect(e.code).toBe(2);
    expect(e.message).toContain("endpoints.vllm.base_url");
  });

  test("bad llm settings", () => {
    const e = failure(() => loadToml("[llm]\nmax_attempts = 0\n"));
    expect(e.code).toBe(2);
    expect(e.message).toContain("llm.max_attempts");
    expect(loadToml('[llm.prices."gpt-4.1"]\ninput_per_mtok = 2\noutput_per_mtok = 8\n').config.llm.prices["gpt-4.1"]!.output_per_mtok).toBe(8);
  });

  test("missing API key variable, for an endpoint a role uses", () => {
    const config = Config.parse({ endpoints: { local: { base_url: "http://127.0.0.1:9/v1", api_key_env: "PPOL_TEST_KEY" } } });
    const e = failure(() => createLlm({ config, cacheMode: "off", env: {} }));
    expect(e.code).toBe(2);
    expect(e.message).toBe("endpoints.local.api_key_env: environment variable PPOL_TEST_KEY is not set");
    expect(() => createLlm({ config, cacheMode: "off", env: { PPOL_TEST_KEY: "sk-x" } })).not.toThrow();
  });

  test("roles left out point at a missing 'local' endpoint", () => {
    const config = Config.parse({ endpoints: { vllm: { base_url: "http://127.0.0.1:9/v1" } } });
    const e = failure(() => createLlm({ config, cacheMode: "off", env: {} }));
    expect(e.code).toBe(2);
    expect(e.message).toMatch(/^roles\.mutator\.targets\.0\.endpoint: unknown endpoint "local"/);
  });

  test("a config built in code is validated too; unknown role at call time", async () => {
    const parsed = Config.parse({});
    const config = { ...parsed, endpoints: { local: { ...parsed.endpoints.local!, base_url: "not a url" } } };
    expect(failure(() => createLlm({ config, cacheMode: "off", env: {} })).message).toContain("endpoints.local.base_url");
    const ok = createLlm({ config: Config.parse({}), cacheMode: "off", env: {} });
    const e = await ok.chat("agnet" as any, ask("x")).catch((err) => err);
    expect(exitCodeOf(e)).toBe(2);
    expect(e.message).toBe('unknown LLM role "agnet" (did you mean "agent"?)');
    const empty = await ok.chat("agent", { messages: [] }).catch((err) => err);
    expect(exitCodeOf(empty)).toBe(2);
    expect(empty.message).toMatch(/^agent request: messages: /);
    const hot = await ok.chat("agent", { ...ask("x"), temperature: 3 }).catch((err) => err);
    expect(hot.message).toMatch(/^agent request: temperature: /);
    expect(failure(() => createLlm({ config: Config.parse({}), cacheMode: "ro", env: {} })).code).toBe(2);
  });
});

describe("budgets", () => {
  test("calls in flight count: with room for two estimates, the third concurrent call is refused", async () => {
    const fake = await startFakeOpenAI({ latencyMs: 20 });
    const llm = createLlm({ config: fake.config(), cacheMode: "off", env: {}, budget: { maxTokens: 100 } });
    const req = { ...ask("0123456789012345678901234567890123456789"), maxTokens: 40 }; // estimate 10 + 40
    const settled = await Promise.allSettled([llm.chat("user", req), llm.chat("user", req), llm.chat("user", req)]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    const reason = (settled[2] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(BudgetExhausted);
    expect(reason.message).toContain("LLM budget reached");
    expect(fake.requests).toHaveLength(2);
    expect(llm.usage().budget.exhausted).toBe(true);
    expect(llm.usage().budget.reservedTokens).toBe(0);
    const table = formatUsage(llm.usage()).split("\n");
    expect(table[0]).toMatch(/^role\s+model\s+endpoint\s+calls/);
    expect(table[1]).toMatch(/^user\s+qwen3:8b\s+fake\s+2\s+0\s+0\s+0\s/);
    expect(table.at(-1)).toBe("budget: 100 tokens (reached: new calls were refused)");
    await fake.stop();
  });

  test("a server that reports no usage still counts against the budget (estimated, and said so)", async () => {
    const fake = await startFakeOpenAI();
    fake.reply({}, { content: "x".repeat(400), usage: null });
    const llm = createLlm({ config: fake.config(), cacheMode: "off", env: {}, budget: { maxTokens: 150 } });
    for (const stream of [false, true]) {
      const r = await llm.chat("user", { ...ask(`y${stream}`), maxTokens: 1, stream });
      expect(r.usage.completionTokens).toBe(100);
      expect(r.repairs).toContain("usage estimated: the server reported no token counts");
    }
    await expect(llm.chat("user", { ...ask("z"), maxTokens: 1 })).rejects.toBeInstanceOf(BudgetExhausted);
    await fake.stop();
  });

  test("cost from the price table; max cost stops new calls once spent", async () => {
    const fake = await startFakeOpenAI();
    fake.reply({}, { content: "priced", usage: { prompt: 1000, completion: 500 } });
    const config = fake.config({ llm: { prices: { "qwen3:8b": { input_per_mtok: 2, output_per_mtok: 8 } } } });
    const llm = createLlm({ config, cacheMode: "off", env: {}, budget: { maxCost: 0.015 } }); // 0.006 per call
    for (let i = 0; i < 2; i++) await llm.chat("judge", { ...ask(`c${i}`), maxTokens: 1 });
    expect(llm.usage().totals.cost).toBeCloseTo(2 * (1000 * 2 + 500 * 8) / 1e6, 10);
    await llm.chat("judge", { ...ask("c2"), maxTokens: 1 }); // 0.012 < 0.015: admitted; 0.018 after it
    await expect(llm.chat("judge", { ...ask("c3"), maxTokens: 1 })).rejects.toBeInstanceOf(BudgetExhausted);
    expect(fake.requests).toHaveLength(3);
    await fake.stop();
  });
});

describe("role temperatures", () => {
  test("user and agent default to 0 (as τ² and the PPol reference); a role's own value wins; other roles stay unset", async () => {
    const { roleConfig } = await import("../../src/config/schema.ts");
    const defaults = Config.parse({});
    expect([roleConfig(defaults, "user").temperature, roleConfig(defaults, "agent").temperature, roleConfig(defaults, "judge").temperature, roleConfig(defaults, "generator").temperature]).toEqual([0, 0, undefined, undefined]);
    const own = loadToml(`[roles.agent]\ntemperature = 0.3\n[[roles.agent.targets]]\nendpoint = "local"\nmodel = "m"\n[roles.user]\n[[roles.user.targets]]\nendpoint = "local"\nmodel = "m"\n`).config;
    expect(roleConfig(own, "agent").temperature).toBe(0.3);
    expect(roleConfig(own, "user").temperature).toBe(0);
    const fake = await startFakeOpenAI();
    try {
      const llm = createLlm({ config: fake.config(), cacheMode: "off" });
      await llm.chat("user", { messages: [{ role: "user", content: "hi" }] });
      await llm.chat("agent", { messages: [{ role: "user", content: "hi" }], temperature: 0.7 });
      await llm.chat("judge", { messages: [{ role: "user", content: "hi" }] });
      await llm.close();
      expect(fake.requests.map((r) => [r.role, r.body.temperature])).toEqual([
        ["user", 0],
        ["agent", 0.7],
        ["judge", undefined],
      ]);
    } finally {
      await fake.stop();
    }
  });
});
