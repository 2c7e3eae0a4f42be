import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLlm } from "../../src/llm/index.ts";
import { generatePersonas, generatorLlm, SEED_PROGRAMS, taskContextText } from "../../src/personas/index.ts";
import { createSandboxPool, nodeModulesAssets } from "../../src/python/index.ts";
import { startFakeOpenAI, text } from "../support/fake-openai.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";
import { isPopulation, population, scriptedLlm, WORDS_180 } from "./_scripted.ts";

// Sandbox processes boot in ~1 s alone, much longer on a loaded machine.
setDefaultTimeout(120_000);

const pool = createSandboxPool({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT, spares: 2 });
afterAll(() => pool.close());

const tasks = JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/personas/retail_task.json"), "utf8")).map((t: any) => ({
  id: t.id,
  context: taskContextText(t.user_scenario.instructions, "retail"),
}));
const seed = { code: SEED_PROGRAMS.ppol!.code, filename: "ppol_seed.py" };

describe("PPol seed program", () => {
  test("produces n valid personas per task, expansions concurrently", async () => {
    const n = 5;
    const llm = scriptedLlm((req) => (isPopulation(req) ? `\`\`\`json\n${JSON.stringify({ personas: population(n) })}\n\`\`\`` : WORDS_180), 50);
    const results = await generatePersonas({ pool, program: seed, tasks, n, llm });
    expect(results.map((r) => [r.task_id, r.ok, r.personas.length, r.failures])).toEqual([
      ["retail-demo-1", true, n, []],
      ["retail-demo-2", true, n, []],
    ]);
    const p = results[0]!.personas[0]!;
    expect(Object.keys(p.axis_placement).sort()).toEqual(["ambiguous", "frustrated", "skeptical", "terse"]);
    expect(p.expanded_instruction.split(/\s+/).length).toBe(180);
    // 2 tasks × (1 population + n expansions); expansions of one task were in flight together.
    expect(llm.calls.length).toBe(2 * (1 + n));
    expect(llm.maxInFlight).toBeGreaterThanOrEqual(n);
    const pop = llm.calls.find(isPopulation)!;
    expect(pop.temperature).toBe(0.8);
    expect(pop.json).toBe(true);
    expect(llm.calls.find((c) => !isPopulation(c))!.temperature).toBe(0.7);
    const contexts = llm.calls.filter(isPopulation).map((c) => c.messages[0]!.content);
    expect(contexts.some((c) => c.includes("order #W2378156") && c.includes("Domain: retail"))).toBe(true);
    expect(contexts.some((c) => c.includes("order #W1111111"))).toBe(true);
  });

  test("a malformed population answer is repaired (trailing commas, prose, truncation)", async () => {
    const n = 3;
    const body = JSON.stringify({ personas: population(n) }).replace(/}]}$/, "},]}");
    const llm = scriptedLlm((req) => (isPopulation(req) ? `Sure! Here you go:\n${body.slice(0, -2)}` : WORDS_180));
    const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.ok).toBe(true);
    expect(r!.personas.length).toBe(n);
  });

  test("bad personas are reported one by one, the good ones kept", async () => {
    const n = 4;
    const pop = population(n, undefined, (p, i) => {
      if (i === 1) delete p.description;
      if (i === 2) (p.axis_placement as Record<string, unknown>).terse = "yes";
    });
    const llm = scriptedLlm((req) => (isPopulation(req) ? JSON.stringify({ personas: pop }) : req.messages[0]!.content.includes("Persona 4 ") ? "too short" : WORDS_180));
    const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.ok).toBe(false);
    expect(r!.personas.map((p) => p.persona_id)).toEqual(["p1"]);
    expect(r!.failures.map((f) => [f.index, f.persona_id])).toEqual([
      [1, "p2"],
      [2, "p3"],
      [3, "p4"],
    ]);
    expect(r!.failures[0]!.error).toContain("description");
    expect(r!.failures[1]!.error).toContain("axis_placement");
    expect(r!.failures[2]!.error).toContain("fewer than");
  });

  test("fewer personas than asked is an error, never padded", async () => {
    const llm = scriptedLlm((req) => (isPopulation(req) ? JSON.stringify({ personas: population(2) }) : WORDS_180));
    const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n: 5, llm });
    expect(r!.ok).toBe(false);
    expect(r!.error_kind).toBe("exception");
    expect(r!.error).toContain("2 personas, 5 needed");
  });

  test("an LLM failure in one expansion fails that persona only", async () => {
    const n = 3;
    const llm = scriptedLlm((req) => {
      if (isPopulation(req)) return JSON.stringify({ personas: population(n) });
      if (req.messages[0]!.content.includes("Persona 2 ")) throw new Error("upstream 500");
      return WORDS_180;
    });
    const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.personas.length).toBe(2);
    expect(r!.failures).toEqual([{ index: 1, persona_id: "p2", error: "expansion failed: upstream 500" }]);
  });
});

describe("DP baseline", () => {
  test("one call, n personas, no axes", async () => {
    const n = 3;
    const llm = scriptedLlm(() => JSON.stringify({ personas: Array.from({ length: n }, (_, i) => ({ description: `dp persona ${i}`, expanded_instruction: WORDS_180 })) }));
    const [r] = await generatePersonas({ pool, program: { code: SEED_PROGRAMS.dp!.code, filename: "dp_baseline.py" }, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.ok).toBe(true);
    expect(r!.personas.map((p) => p.persona_id)).toEqual(["dp1", "dp2", "dp3"]);
    expect(llm.calls.length).toBe(1);
  });
});

describe("with the fake OpenAI-compatible endpoint", () => {
  test("the seed program produces n valid personas through the LLM layer (generator role)", async () => {
    const n = 4;
    const fake = await startFakeOpenAI({ latencyMs: 40 });
    try {
      fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(n) })));
      fake.reply({ role: "generator" }, text(WORDS_180));
      const llm = createLlm({ config: fake.config(), cacheMode: "off" });
      const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n, llm: generatorLlm(llm, { seed: 7 }) });
      await llm.close();
      expect(r!.failures).toEqual([]);
      expect(r!.ok).toBe(true);
      expect(r!.personas.length).toBe(n);
      expect(fake.requests.length).toBe(1 + n);
      expect(fake.requests.every((q) => q.role === "generator")).toBe(true);
      expect(fake.maxInFlight).toBeGreaterThanOrEqual(2);
    } finally {
      await fake.stop();
    }
  });
});
