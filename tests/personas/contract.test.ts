/** Pure parts: the persona contract, the plumbing helpers (in the trusted in-process runtime), static checks. */
import { beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { checkMarkers, checkPersonas, placementBool, PLUMBING, SEED_PROGRAMS, staticCheck } from "../../src/personas/index.ts";
import type { PythonRuntime } from "../../src/python/index.ts";
import { sharedPython } from "../support/python.ts";
import { population, WORDS_180 } from "./_scripted.ts";

setDefaultTimeout(120_000);
const AXES = ["terse", "skeptical", "frustrated", "ambiguous"].map((behavior) => ({ behavior, definition: "d", presence: { true: "t", false: "f" } }));
const full = (n: number): Record<string, unknown>[] => population(n).map((p) => ({ ...p, expanded_instruction: WORDS_180 }));

describe("checkPersonas", () => {
  test("n personas with instructions are ok, with no warnings when everything is in order", () => {
    const r = checkPersonas(full(3), 3, AXES);
    expect(r).toMatchObject({ ok: true, failures: [] });
    expect(r.personas.map((p) => p.warnings)).toEqual([[], [], []]);
  });

  test("fewer than n fails the task, as in the reference (never padded); more than n keeps the first n", () => {
    const few = checkPersonas(full(2), 3, AXES);
    expect(few.ok).toBe(false);
    expect(few.failures).toEqual([{ index: null, persona_id: null, error: "2 personas returned, 3 asked for (never pad)" }]);
    const many = checkPersonas(full(4), 3, AXES);
    expect(many.ok).toBe(true);
    expect(many.personas.map((p) => p.persona_id)).toEqual(["p1", "p2", "p3"]);
    expect(many.failures).toEqual([{ index: null, persona_id: null, error: "4 personas returned, 3 asked for: the first 3 kept" }]);
    expect(checkPersonas({ personas: [] }, 3, AXES).failures[0]!.error).toBe("expected a list of personas, got object");
  });

  test("a persona without an instruction is dropped and counted; the task stays ok while one is left", () => {
    const ps = full(4);
    ps[0]!.expanded_instruction = "   ";
    delete ps[1]!.expanded_instruction;
    ps[1]!.instruction = "You write like this."; // the reference's fallback keys
    ps[2] = { error: "expansion failed: x", persona_id: "p3", expanded_instruction: "" };
    const r = checkPersonas(ps, 4, AXES);
    expect(r.ok).toBe(true);
    expect(r.personas.map((p) => [p.persona_id, p.expanded_instruction.slice(0, 20)])).toEqual([
      ["p2", "You write like this."],
      ["p4", WORDS_180.slice(0, 20)],
    ]);
    expect(r.failures).toEqual([
      { index: 0, persona_id: "p1", error: "empty expanded_instruction" },
      { index: 2, persona_id: "p3", error: "expansion failed: x" },
    ]);
    const none = checkPersonas([{ persona_id: "a", expanded_instruction: "" }], 1, AXES);
    expect(none.ok).toBe(false);
  });

  test("placements are normalised to booleans, the reference's way; oddities are warnings, not rejections", () => {
    const ps = full(4);
    ps[0]!.persona_id = 7;
    ps[1]!.persona_id = "7";
    ps[1]!.axis_placement = { terse: "Yes", skeptical: 1, frustrated: "off", cheerful: true };
    delete ps[2]!.description;
    delete ps[2]!.persona_id;
    ps[3]!.expanded_instruction = "too short";
    const r = checkPersonas(ps, 4, AXES);
    expect(r.ok).toBe(true);
    expect(r.failures).toEqual([]);
    expect(r.personas.map((p) => p.persona_id)).toEqual(["7", "7", "p3", "p4"]);
    expect(r.personas[1]!.axis_placement).toEqual({ terse: true, skeptical: true, frustrated: false, ambiguous: false });
    expect(r.personas[1]!.warnings).toEqual([
      'duplicate persona_id "7"',
      "axis_placement lacks ambiguous (read as false)",
      "axis_placement has unknown axes cheerful (dropped)",
      'axis_placement not boolean for terse="Yes", skeptical=1, frustrated="off" (normalised)',
    ]);
    expect(r.personas[2]!.warnings).toEqual(["no persona_id: named p3", "no description"]);
    expect(r.personas[3]!.warnings).toEqual(["expanded_instruction has 2 words, fewer than 60"]);
  });

  test("placementBool reads what the reference reads as true", () => {
    expect([true, "true", " TRUE ", "1", 1, "yes", "on"].map(placementBool)).toEqual([true, true, true, true, true, true, true]);
    expect([false, "false", "0", 0, "no", "off", null, undefined, "y", 2].map(placementBool)).toEqual(Array(10).fill(false));
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

  test("normalise_placement and describe_active: one boolean per axis; only active axes, with definition and 'present' playbook", async () => {
    const axes = `[{"behavior": "terse", "definition": "short", "presence": {"true": "few words", "false": "full"}}, {"behavior": "skeptical", "definition": "doubts", "presence": {"true": "asks for proof", "false": "trusts"}}]`;
    expect(await ev(`normalise_placement({"terse": "yes", "other": True}, ${axes})`)).toEqual({ terse: true, skeptical: false });
    expect(await ev(`describe_active(${axes}, {"terse": "on", "skeptical": False})`)).toBe("- terse: short\n    what this person does: few words");
    expect(await ev(`describe_active(${axes}, {})`)).toContain("none in particular");
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
    // An axis needs a name; definition and playbooks may be left out (read as empty, like the reference).
    const r = await staticCheck("DIVERSITY_AXES = [{'behavior': 'x'}, {'definition': 'no name'}]\ndef generate_personas_detailed(c, axes):\n    pass\n", py);
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
