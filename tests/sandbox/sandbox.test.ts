/** The sandbox's granted capability (llm bridge), its limits and its refusal to run unconfined. */
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createSandboxPool, nodeModulesAssets, runProgram, sandboxSupport, type GeneratorLlm } from "../../src/python/index.ts";
import { PpolError } from "../../src/errors.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// Sandbox processes boot in ~1 s alone, much longer on a loaded machine.
setDefaultTimeout(120_000);

const pool = createSandboxPool({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT, spares: 1 });
afterAll(() => pool.close());

describe("llm bridge", () => {
  test("asyncio.gather over llm.chat runs the calls concurrently on the host", async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: unknown[] = [];
    const llm: GeneratorLlm = {
      async chat(request) {
        seen.push(request);
        peak = Math.max(peak, ++inFlight);
        await Bun.sleep(100);
        inFlight--;
        return { content: `echo:${request.messages.at(-1)!.content}` };
      },
    };
    const code = [
      "import asyncio, llm",
      "async def main(k):",
      "    replies = await asyncio.gather(*[llm.chat(f'q{i}', temperature=0.5) for i in range(k)])",
      "    obj = await llm.chat_json([{'role': 'system', 'content': 's'}, {'role': 'user', 'content': 'j'}])",
      "    typed = await llm.chat_json('t', schema={'type': 'object', 'properties': {'a': {'type': 'integer'}}})",
      "    return {'replies': replies, 'obj': obj, 'typed': typed}",
    ].join("\n");
    const jsonRequests: unknown[] = [];
    const jsonLlm: GeneratorLlm = { chat: (r) => (r.json ? (jsonRequests.push(r.json), Promise.resolve({ content: '```json\n{"a": 1}\n```' })) : llm.chat(r)) };
    const o = await runProgram(pool, { code, filename: "gather.py", call: { name: "main", args: [10] }, llm: jsonLlm });
    expect(o.error).toBeNull();
    expect(o.result).toEqual({ replies: Array.from({ length: 10 }, (_, i) => `echo:q${i}`), obj: { a: 1 }, typed: { a: 1 } });
    // chat_json without a schema asks for any JSON object; with one, the schema reaches the host unchanged.
    expect(jsonRequests).toEqual([true, { type: "object", properties: { a: { type: "integer" } } }]);
    expect(peak).toBe(10);
    expect(seen[0]).toEqual({ messages: [{ role: "user", content: "q0" }], temperature: 0.5 });
  });

  test("bad requests and exhausted budgets come back as Python exceptions", async () => {
    const llm: GeneratorLlm = { chat: async () => ({ content: "ok" }) };
    const code = [
      "import llm",
      "async def main():",
      "    out = []",
      "    for req in [[{'role': 'wizard', 'content': 'x'}], 'a', 'b', 'c']:",
      "        try:",
      "            out.append(await llm.chat(req))",
      "        except llm.LLMError as e:",
      "            out.append(str(e)[:40])",
      "    return out",
    ].join("\n");
    const o = await runProgram(pool, { code, filename: "budget.py", call: { name: "main", args: [] }, llm, budget: { maxCalls: 2, maxInFlight: 4 } });
    expect(o.result).toEqual(["invalid LLM request: [", "ok", "ok", "LLM call budget exhausted (2 calls per p"]);
  });
});

describe("limits", () => {
  test("stdout is capped and the program's result survives", async () => {
    const o = await runProgram(pool, { code: "for i in range(100000):\n    print('line', i)\n'fine'", filename: "out.py", limits: { outputCap: 1000 } });
    expect(o.ok).toBe(true);
    expect(o.result).toBe("fine");
    expect(o.stdout.length).toBeLessThan(1200);
    expect(o.stdout).toContain("more bytes dropped");
  });

  test("a call that times out kills the process; the pool serves the next program", async () => {
    const o = await runProgram(pool, { code: "def spin():\n    while True: pass\n", filename: "spin.py", call: { name: "spin", args: [] }, limits: { timeoutMs: 1500 } });
    expect(o.error_kind).toBe("timeout");
    const next = await runProgram(pool, { code: "1 + 1", filename: "next.py" });
    expect(next).toMatchObject({ ok: true, result: 2 });
  });

  test("calling a missing function is an exception", async () => {
    const o = await runProgram(pool, { code: "x = 1", filename: "nofn.py", call: { name: "nope", args: [] } });
    expect(o.error_kind).toBe("exception");
    expect(o.error).toContain("NameError");
  });
});

describe("confinement", () => {
  test("this machine confines (Landlock + seccomp)", () => {
    const s = sandboxSupport();
    expect(s.confined).toBe(true);
    expect(s.landlock).toBeGreaterThanOrEqual(1);
  });

  test("without OS confinement untrusted programs are refused unless unsafe", () => {
    const support = { platform: "test", landlock: null, netRestricted: false, seccomp: false, confined: false, detail: "missing: Landlock" };
    let error: unknown;
    try {
      createSandboxPool({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT, spares: 0, support });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PpolError);
    expect((error as PpolError).hint).toContain("--unsafe-sandbox");
    const unsafe = createSandboxPool({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT, spares: 0, support, unsafe: true });
    expect(unsafe.unsafe).toBe(true);
    return unsafe.close();
  });

  test("the hostile corpus can fail: unconfined, the same attack reads a host file", async () => {
    const unsafe = createSandboxPool({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT, spares: 0, unsafe: true });
    try {
      const code = readFileSync(join(import.meta.dir, "hostile/js_fs_read.py"), "utf8");
      const o = await runProgram(unsafe, { code, filename: "js_fs_read.py" });
      expect(o.ok).toBe(true);
      expect(String(o.result)).toContain("root:");
    } finally {
      await unsafe.close();
    }
  });
});
