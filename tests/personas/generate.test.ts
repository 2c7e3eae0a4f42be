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
  context: taskContextText(t.user_scenario, "retail"),
}));
const seed = { code: SEED_PROGRAMS.ppol!.code, filename: "ppol_seed.py" };
/** A text of the seed's DIVERSITY_AXES, read from the program's source. */
const axisText = (behavior: string, key: "definition" | "true" | "false") => new RegExp(`"behavior": "${behavior}",[\\s\\S]*?"${key}": "([^"]*)"`).exec(SEED_PROGRAMS.ppol!.code)![1]!;
/** The user message of a generator call (the first message is the system prompt). */
const prompt = (req: { messages: { role: string; content: string }[] }) => req.messages.at(-1)!.content;

describe("context c", () => {
  test("the rendered scenario, cut at 4,000 characters (code points), a blank line, then the domain", () => {
    expect(taskContextText({ persona: null, instructions: "Cancel #W1." }, "retail")).toBe("Instructions:\n\tCancel #W1.\n\nContext: domain=retail");
    // 3,990 ASCII characters of scenario text, then emoji (2 UTF-16 units each): the cut counts code points.
    const long = taskContextText({ instructions: `${"x".repeat(3975)}${"😀".repeat(20)}` }, "airline");
    const [scenario, context] = long.split("\n\nContext: ");
    expect(Array.from(scenario!)).toHaveLength(4000);
    expect(scenario!.endsWith("😀".repeat(10))).toBe(true);
    expect(context).toBe("domain=airline");
  });
});

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
    // The reference's settings: a system prompt for each stage, 0.8 / 8,000 tokens and 0.7 / 800 tokens.
    const pop = llm.calls.find(isPopulation)!;
    expect(pop).toMatchObject({ temperature: 0.8, max_tokens: 8000 });
    // The population is asked for as structured output: n personas, a boolean per axis.
    const bool = { type: "boolean" };
    const str = { type: "string" };
    expect(pop.json).toEqual({
      type: "object",
      required: ["personas"],
      properties: {
        personas: {
          type: "array",
          minItems: n,
          items: {
            type: "object",
            required: ["persona_id", "description", "reasoning", "axis_placement"],
            properties: {
              persona_id: str, description: str, reasoning: str,
              axis_placement: { type: "object", required: ["terse", "skeptical", "frustrated", "ambiguous"], properties: { terse: bool, skeptical: bool, frustrated: bool, ambiguous: bool } },
            },
          },
        },
      },
    });
    expect(pop.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const expansion = llm.calls.find((c) => !isPopulation(c))!;
    expect(expansion).toMatchObject({ temperature: 0.7, max_tokens: 800 });
    expect(expansion.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const contexts = llm.calls.filter(isPopulation).map(prompt);
    expect(contexts.some((c) => c.includes("order #W2378156") && c.includes("\tDomain: retail") && c.includes("\n\nContext: domain=retail"))).toBe(true);
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

  test("expansion sees each active axis's definition and 'present' playbook; placements normalised; ppol's checks are warnings", async () => {
    const n = 4;
    const pop = population(n, undefined, (p, i) => {
      if (i === 1) delete p.description;
      if (i === 2) p.axis_placement = { terse: "yes", skeptical: false };
    });
    const llm = scriptedLlm((req) => (isPopulation(req) ? JSON.stringify({ personas: pop }) : prompt(req).includes("Persona 4 ") ? "too short" : WORDS_180));
    const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.ok).toBe(true);
    expect(r!.failures).toEqual([]);
    expect(r!.personas.map((p) => p.persona_id)).toEqual(["p1", "p2", "p3", "p4"]);
    expect(r!.personas[2]!.axis_placement).toEqual({ terse: true, skeptical: false, frustrated: false, ambiguous: false });
    expect(r!.personas[1]!.warnings).toEqual(["no description"]);
    expect(r!.personas[3]!.warnings).toEqual(["expanded_instruction has 2 words, fewer than 60"]);
    const expansionOf = (id: string) => prompt(llm.calls.find((c) => !isPopulation(c) && prompt(c).includes(`Name: ${id}\n`))!);
    // p3: only terse is on.
    expect(expansionOf("p3")).toContain(`- terse: ${axisText("terse", "definition")}\n    what this person does: ${axisText("terse", "true")}`);
    expect(expansionOf("p3")).not.toContain(axisText("terse", "false"));
    expect(expansionOf("p3")).not.toContain(axisText("skeptical", "definition"));
    // p1: nothing on.
    expect(expansionOf("p1")).toContain("none in particular");
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
      if (prompt(req).includes("Persona 2 ")) throw new Error("upstream 500");
      return WORDS_180;
    });
    const [r] = await generatePersonas({ pool, program: seed, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.ok).toBe(true);
    expect(r!.personas.length).toBe(2);
    expect(r!.failures).toEqual([{ index: 1, persona_id: "p2", error: "expansion failed: upstream 500" }]);
  });
});

describe("DP baseline", () => {
  const dp = { code: SEED_PROGRAMS.dp!.code, filename: "dp_baseline.py" };
  test("one call (system prompt, temperature 0.8, max(1,800, 700·n) tokens), n personas, no axes", async () => {
    const n = 3;
    const llm = scriptedLlm(() => JSON.stringify({ personas: Array.from({ length: n }, (_, i) => ({ description: `dp persona ${i}`, expanded_instruction: WORDS_180 })) }));
    const [r] = await generatePersonas({ pool, program: dp, tasks: tasks.slice(0, 1), n, llm });
    expect(r!.ok).toBe(true);
    expect(r!.personas.map((p) => p.persona_id)).toEqual(["dp1", "dp2", "dp3"]);
    expect(llm.calls.length).toBe(1);
    expect(llm.calls[0]).toMatchObject({ temperature: 0.8, max_tokens: 2100 });
    expect(llm.calls[0]!.messages.map((m) => m.role)).toEqual(["system", "user"]);
    const text = prompt(llm.calls[0]!);
    for (const word of ["terse", "skeptical", "frustrated", "ambiguous", "text messages"]) expect(text).toContain(word);
    const [big] = await generatePersonas({ pool, program: dp, tasks: tasks.slice(0, 1), n: 4, llm: scriptedLlm(() => JSON.stringify({ personas: [{ expanded_instruction: WORDS_180 }] })) });
    expect(big!.personas).toHaveLength(4);
  });

  test("a short answer is padded by cycling the personas with an instruction; none at all fails", async () => {
    const rows = [{ persona_id: "a", expanded_instruction: WORDS_180 }, { persona_id: "b", expanded_instruction: "" }, { persona_id: "c", expanded_instruction: `c ${WORDS_180}` }];
    const llm = scriptedLlm(() => JSON.stringify({ personas: rows }));
    const [r] = await generatePersonas({ pool, program: dp, tasks: tasks.slice(0, 1), n: 5, llm });
    expect(r!.ok).toBe(true);
    expect(r!.personas.map((p) => p.persona_id)).toEqual(["a", "c", "a", "c", "a"]);
    expect(llm.calls[0]!.max_tokens).toBe(3500);
    const empty = scriptedLlm(() => JSON.stringify({ personas: [{ expanded_instruction: " " }] }));
    const [none] = await generatePersonas({ pool, program: dp, tasks: tasks.slice(0, 1), n: 2, llm: empty });
    expect(empty.calls[0]!.max_tokens).toBe(1800);
    expect(none!.ok).toBe(false);
    expect(none!.error).toContain("no persona with an instruction");
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
