import { describe, expect, test } from "bun:test";
import { extractJson, normaliseMessage, parseArguments, stripThink } from "../../src/llm/repair.ts";

const ctx = { toolNames: new Set(["find_user_id_by_email", "get_order_details"]), idSeed: "abcdef0123456789" };

describe("extractJson", () => {
  test("plain, fenced, with prose around, with trailing commas, cut off", () => {
    expect(extractJson('{"a": 1}').value).toEqual({ a: 1 });
    const fenced = extractJson('Here you go:\n```json\n{"a": [1, 2]}\n```\nHope that helps');
    expect(fenced.value).toEqual({ a: [1, 2] });
    expect(fenced.repairs).toContain("removed code fence");
    expect(extractJson('Sure! {"verdict": true} as asked').value).toEqual({ verdict: true });
    const commas = extractJson('{"a": 1, "b": [1, 2,],}');
    expect(commas.value).toEqual({ a: 1, b: [1, 2] });
    expect(commas.repairs).toContain("repaired malformed JSON");
    expect(extractJson('{"name": "Ann", "tags": ["x", "y"').value).toEqual({ name: "Ann", tags: ["x", "y"] });
    expect(extractJson("<think>maybe {not this}</think>\n[1, 2]").value).toEqual([1, 2]);
    const trailing = extractJson('{"a": "x}"} Note: {"b": 2} was also possible.');
    expect(trailing.value).toEqual({ a: "x}" });
    expect(trailing.repairs).toContain("dropped text after JSON");
  });

  test("no JSON at all is an error naming the output", () => {
    expect(() => extractJson("I cannot answer that.")).toThrow(/no JSON object in model output: I cannot answer that\./);
  });
});

describe("tool-call normalisation", () => {
  test("native calls pass through; arguments as string or object", () => {
    const repairs: string[] = [];
    expect(parseArguments('{"email": "a@b.c"}', repairs, "f")).toEqual({ email: "a@b.c" });
    expect(repairs).toEqual([]);
    expect(parseArguments({ email: "a@b.c" }, repairs, "f")).toEqual({ email: "a@b.c" });
    expect(repairs[0]).toMatch(/sent as an object/);
    expect(parseArguments("", [], "f")).toEqual({});
    const bad: string[] = [];
    expect(parseArguments("not json at all", bad, "f")).toEqual({});
    expect(bad[0]).toMatch(/unreadable, replaced by \{\}: not json at all/);
  });

  test("missing and empty ids get deterministic ids", () => {
    const msg = { role: "assistant", content: null, tool_calls: [{ function: { name: "get_order_details", arguments: '{"order_id": "#W1"}' } }, { id: "", function: { name: "find_user_id_by_email", arguments: "{}" } }] };
    const a = normaliseMessage(msg, "tool_calls", ctx);
    const b = normaliseMessage(msg, "tool_calls", ctx);
    expect(a.toolCalls.map((c) => c.id)).toEqual(["call_abcdef012345_0", "call_abcdef012345_1"]);
    expect(b).toEqual(a);
    expect(a.repairs.filter((r) => r.startsWith("missing tool-call id"))).toHaveLength(2);
    expect(a.toolCalls[0]!.arguments).toEqual({ order_id: "#W1" });
  });

  test("Hermes/Qwen <tool_call> tags in content become tool calls", () => {
    const content = 'Let me look that up.\n<tool_call>\n{"name": "find_user_id_by_email", "arguments": {"email": "a@b.c"}}\n</tool_call>';
    const r = normaliseMessage({ content }, "stop", ctx);
    expect(r.toolCalls).toEqual([{ id: "call_abcdef012345_0", name: "find_user_id_by_email", arguments: { email: "a@b.c" } }]);
    expect(r.content).toBe("Let me look that up.");
    expect(r.finishReason).toBe("tool_calls");
    expect(r.repairs).toContain("tool calls parsed from content");
  });

  test("bare JSON, arrays, `parameters` and <|python_tag|> in content", () => {
    expect(normaliseMessage({ content: '{"name": "get_order_details", "parameters": {"order_id": "#W2"}}' }, "stop", ctx).toolCalls[0]!.arguments).toEqual({ order_id: "#W2" });
    const two = normaliseMessage({ content: '```json\n[{"name": "get_order_details", "arguments": {"order_id": "#W2"}}, {"name": "find_user_id_by_email", "arguments": "{\\"email\\": \\"x@y.z\\"}"}]\n```' }, null, ctx);
    expect(two.toolCalls.map((c) => c.name)).toEqual(["get_order_details", "find_user_id_by_email"]);
    expect(two.toolCalls[1]!.arguments).toEqual({ email: "x@y.z" });
    expect(normaliseMessage({ content: '<|python_tag|>{"name": "get_order_details", "parameters": {"order_id": "#W3"}}' }, "stop", ctx).toolCalls).toHaveLength(1);
  });

  test("JSON in content that names no offered tool stays content", () => {
    const r = normaliseMessage({ content: '{"name": "Ann", "arguments": {"x": 1}}' }, "stop", ctx);
    expect(r.toolCalls).toEqual([]);
    expect(r.content).toBe('{"name": "Ann", "arguments": {"x": 1}}');
    expect(normaliseMessage({ content: '{"name": "get_order_details", "arguments": {}}' }, "stop", { ...ctx, toolNames: new Set() }).toolCalls).toEqual([]);
  });

  test("finish reasons: stop with tool calls (Ollama streaming) → tool_calls; missing → stop; unknown → other", () => {
    const withCalls = normaliseMessage({ tool_calls: [{ id: "c1", function: { name: "get_order_details", arguments: "{}" } }] }, "stop", ctx);
    expect(withCalls.finishReason).toBe("tool_calls");
    expect(withCalls.repairs.join()).toMatch(/finish_reason "stop" with tool calls/);
    expect(normaliseMessage({ content: "hi" }, null, ctx).finishReason).toBe("stop");
    expect(normaliseMessage({ content: "hi" }, "length", ctx).finishReason).toBe("length");
    expect(normaliseMessage({ content: "hi" }, "weird", ctx).finishReason).toBe("other");
  });

  test("<think> blocks are removed from content, content parts are joined", () => {
    expect(stripThink("<think>hmm</think>Hello").text).toBe("Hello");
    const r = normaliseMessage({ content: [{ text: "<think>x</think>He" }, { text: "llo" }] }, "stop", ctx);
    expect(r.content).toBe("Hello");
    expect(r.repairs).toContain("removed <think> block");
  });
});
