/** Pure parts: the persona contract, the plumbing helpers (in the trusted in-process runtime), static checks. */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { checkMarkers, checkPersonas, PLUMBING, SEED_PROGRAMS, staticCheck } from "../../src/personas/index.ts";
import type { PythonRuntime } from "../../src/python/index.ts";
import { sharedPython } from "../support/python.ts";
import { population, WORDS_180 } from "./_scripted.ts";

setDefaultTimeout(120_000);
const AXES = ["terse", "skeptical", "frustrated", "ambiguous"].map((behavior) => ({ behavior, definition: "d", presence: { true: "t", false: "f" } }));
const full = (n: number): Record<string, unknown>[] => population(n).map((p) => ({ ...p, expanded_instruction: WORDS_180 }));

describe("checkPersonas", () => {
  test("exactly n valid personas is ok", () => {
    const r = checkPersonas(full(3), 3, AXES);
    expect(r).toMatchObject({ ok: true, failures: [] });
    expect(r.personas.length).toBe(3);
  });

  test("numeric ids become strings; duplicates, missing and unknown axes fail per persona", () => {
    const ps = full(4);
    ps[0]!.persona_id = 7;
    ps[1]!.persona_id = "7";
    delete (ps[2]!.axis_placement as Record<string, boolean>).terse;
    (ps[3]!.axis_placement as Record<string, boolean>).cheerful = true;
    const r = checkPersonas(ps, 4, AXES);
    expect(r.ok).toBe(false);
    expect(r.personas.map((p) => p.persona_id)).toEqual(["7"]);
    expect(r.failures.map((f) => f.error)).toEqual(['duplicate persona_id "7"', "axis_placement lacks terse", "axis_placement has unknown axes cheerful"]);
  });

  test("too many or too few is a failure; non-lists are rejected", () => {
    expect(checkPersonas(full(4), 3, AXES).failures.at(-1)!.error).toBe("4 personas returned, 3 asked for");
    expect(checkPersonas(full(2), 3, AXES).failures.at(-1)!.error).toContain("never pad");
    expect(checkPersonas({ personas: [] }, 3, AXES).failures[0]!.error).toBe("expected a list of personas, got object");
    expect(checkPersonas([{ error: "expansion failed: x", persona_id: "p1" }], 1, AXES).failures[0]).toEqual({ index: 0, persona_id: "p1", error: "expansion failed: x" });
  });
});

describe("plumbing helpers", () => {
  let py: PythonRuntime;
  beforeAll(async () => {
    py = await sharedPython();
    await py.run(PLUMBING);
  });
  const ev = async (expr: string) => (await py.run(expr)).value;

  test("format_template: unknown placeholders format as empty, broken braces survive", async () => {
    expect(await ev(`format_template("Hi {name}, {invented_by_mutation}! {0} {name.attr} {n:>3}", name="Ana", n=5)`)).toBe("Hi Ana, !     5");
    expect(await ev(`format_template("{{literal}} {x}", x=1)`)).toBe("{literal} 1");
    expect(await ev(`format_template("unbalanced {x", x=1)`)).toBe("unbalanced {x");
  });

  test("parse_json repairs fences, prose, trailing commas, Python literals and truncation", async () => {
    expect(await ev("parse_json('```json\\n{\"a\": 1}\\n```')")).toEqual({ a: 1 });
    expect(await ev(`parse_json('Sure! {"a": [1, 2,],} hope it helps')`)).toEqual({ a: [1, 2] });
    expect(await ev(`parse_json("{'a': True}".replace("'", '"'))`)).toEqual({ a: true });
    expect(await ev(`parse_json('{"personas": [{"id": "p1"}, {"id": "p2"')`)).toEqual({ personas: [{ id: "p1" }, { id: "p2" }] });
    expect(await ev(`parse_json('{"a": "unterminated')`)).toEqual({ a: "unterminated" });
    await expect(py.run("parse_json('no json here')")).rejects.toThrow("no JSON object");
  });

  test("describe_axes renders both playbooks", async () => {
    expect(await ev(`describe_axes([{"behavior": "terse", "definition": "short", "presence": {"true": "few words", "false": "full"}}])`)).toBe(
      "- terse: short\n    when present: few words\n    when absent: full",
    );
  });
});

describe("static check", () => {
  test("the shipped seeds pass", async () => {
    const py = await sharedPython();
    for (const seed of Object.values(SEED_PROGRAMS)) expect(await staticCheck(seed.code, py)).toMatchObject({ ok: true, errors: [] });
  });

  test("each required piece is reported", async () => {
    const py = await sharedPython();
    const r = await staticCheck("DIVERSITY_AXES = [{'behavior': 'x'}]\ndef generate_personas_detailed(c, axes):\n    pass\n", py);
    expect(r.errors.map((e) => e.code)).toEqual(["signature", "axes", "markers"]);
    const lambdaAxes = await staticCheck("# EVOLVE-BLOCK-START\nDIVERSITY_AXES = make()\nasync def generate_personas_detailed(*a):\n    pass\n# EVOLVE-BLOCK-END\n", py);
    expect(lambdaAxes).toMatchObject({ ok: true, warnings: [{ code: "axes" }] });
  });

  test("markers: unclosed, stray and nested are errors", () => {
    expect(checkMarkers("# EVOLVE-BLOCK-START\nx").map((i) => i.message)).toEqual(["# EVOLVE-BLOCK-START on line 1 is never closed"]);
    expect(checkMarkers("# EVOLVE-BLOCK-END").length).toBe(1);
    expect(checkMarkers("# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END").length).toBe(1);
    expect(checkMarkers("  # EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END")).toEqual([]);
  });
});
