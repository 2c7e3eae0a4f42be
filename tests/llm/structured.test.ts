import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { createLlm } from "../../src/llm/index.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai.ts";
import { ask } from "./_helpers.ts";

const Verdict = z.object({ verdict: z.boolean(), reasons: z.array(z.string()).max(3) });

describe("structured outputs", () => {
  let fake: FakeOpenAI;
  let old: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    // An older server: refuses json_schema with a 400 naming response_format.
    old = await startFakeOpenAI({ noResponseFormat: ["qwen3:8b"] });
  });
  afterAll(async () => {
    await fake.stop();
    await old.stop();
  });

  test("chatJson sends the zod schema as response_format json_schema", async () => {
    fake.reset();
    fake.reply({ role: "judge" }, '{"verdict": true, "reasons": ["ok"]}');
    const llm = createLlm({ config: fake.config(), cacheMode: "off" });
    const { value } = await llm.chatJson("judge", ask("judge this"), Verdict);
    expect(value).toEqual({ verdict: true, reasons: ["ok"] });
    const rf = fake.requests[0]!.body.response_format;
    expect(rf.type).toBe("json_schema");
    expect(rf.json_schema.name).toBe("answer");
    expect(rf.json_schema.schema.type).toBe("object");
    expect(rf.json_schema.schema.required).toEqual(["verdict", "reasons"]);
    expect(rf.json_schema.schema.properties.verdict).toEqual({ type: "boolean" });
    expect(rf.json_schema.schema.properties.reasons).toMatchObject({ type: "array", items: { type: "string" }, maxItems: 3 });
    expect(rf.json_schema.schema.$schema).toBeUndefined();
    await llm.close();
  });

  test("an endpoint that answers 400 naming response_format is switched off for the run, with one warning", async () => {
    old.reset();
    old.reply({ role: "judge" }, 'Sure: {"verdict": false, "reasons": []}');
    const warnings: string[] = [];
    const llm = createLlm({ config: old.config(), cacheMode: "off", onWarning: (m) => warnings.push(m) });
    const first = await llm.chatJson("judge", ask("one"), Verdict);
    const second = await llm.chatJson("judge", ask("two"), Verdict);
    expect(first.value).toEqual({ verdict: false, reasons: [] });
    expect(second.value.verdict).toBe(false);
    // One refused attempt, then every request goes out without response_format; repair parses the prose.
    expect(old.requests.map((r) => [r.outcome, r.body.response_format?.type ?? null])).toEqual([
      ["400", "json_schema"],
      ["reply", null],
      ["reply", null],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/endpoint "fake" refused response_format .*structured_outputs = false/);
    await llm.close();
  });

  test("structured_outputs = false never sends response_format; the call is still recorded under the same request", async () => {
    old.reset();
    old.reply({ role: "judge" }, '{"verdict": true, "reasons": []}');
    const config = old.config();
    config.endpoints.fake!.structured_outputs = false;
    const warnings: string[] = [];
    const llm = createLlm({ config, cacheMode: "off", onWarning: (m) => warnings.push(m) });
    const { result } = await llm.chatJson("judge", ask("three"), Verdict);
    expect(old.requests.map((r) => r.body.response_format)).toEqual([undefined]);
    expect(warnings).toEqual([]);
    await llm.close();
    // The canonical request still carries the schema: replaying against a structured-output server hits the same hash.
    fake.reset();
    fake.reply({ role: "judge" }, '{"verdict": true, "reasons": []}');
    const other = createLlm({ config: fake.config(), cacheMode: "off" });
    const again = await other.chatJson("judge", ask("three"), Verdict);
    expect(again.result.requestHash).toBe(result.requestHash);
    await other.close();
  });
});
