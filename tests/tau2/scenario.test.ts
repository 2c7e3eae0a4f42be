/**
 * The scenario text is τ²'s `str(task.user_scenario)`: checked by hand on edge cases, and against an
 * independent Python rendering (textwrap.indent, as τ² uses) of every shared task where python3 exists.
 */
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDomainDir, renderScenario } from "../../src/tau2/index.ts";
import { HAS_SHARED, sharedPath } from "../support/shared.ts";

const HAS_PYTHON = spawnSync("python3", ["--version"]).status === 0;

describe("renderScenario", () => {
  test("whitespace-only lines keep their whitespace and get no tab (textwrap.indent)", () => {
    const text = renderScenario({ instructions: { domain: "airline", reason_for_call: "a\n \nb", task_instructions: "t" } });
    expect(text).toBe("Instructions:\n\tDomain: airline\n\tReason for call:\n\t\ta\n \n\t\tb\n\tTask instructions:\n\t\tt");
  });

  test("CRLF and other line breaks split lines as Python's splitlines does; the breaks are kept", () => {
    expect(renderScenario({ instructions: "x\r\ny\u2028z" })).toBe("Instructions:\n\tx\r\n\ty\u2028\tz");
  });

  test("an empty persona is rendered (τ² checks `is not None`), a null one is not", () => {
    expect(renderScenario({ persona: "", instructions: "i" })).toBe("Persona:\n\nInstructions:\n\ti");
    expect(renderScenario({ persona: null, instructions: "i" })).toBe("Instructions:\n\ti");
  });
});

const PY_RENDER = `
import json, sys, textwrap
def instructions(i):
    if isinstance(i, str):
        return i
    lines = ["Domain: " + i["domain"], "Reason for call:\\n" + textwrap.indent(i["reason_for_call"], "\\t")]
    for key, label in (("known_info", "Known info"), ("unknown_info", "Unknown info")):
        if i.get(key) is not None:
            lines.append(label + ":\\n" + textwrap.indent(i[key], "\\t"))
    lines.append("Task instructions:\\n" + textwrap.indent(i["task_instructions"], "\\t"))
    return "\\n".join(lines)
out = []
for s in json.load(open(sys.argv[1])):
    lines = []
    if s.get("persona") is not None:
        lines += ["Persona:", textwrap.indent(s["persona"], "\\t")]
    lines += ["Instructions:", textwrap.indent(instructions(s["instructions"]), "\\t")]
    out.append("\\n".join(lines))
print(json.dumps(out))
`;

test.skipIf(!HAS_PYTHON || !HAS_SHARED)(`every shared task renders as Python's textwrap renders it${HAS_PYTHON ? "" : " (SKIPPED: no python3)"}${HAS_SHARED ? "" : " (SKIPPED: no ../shared)"}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "ppol-scenario-"));
  for (const name of ["retail", "airline"] as const) {
    const scenarios = loadDomainDir(sharedPath("tau2/domains"), name).tasks.map((t) => t.user_scenario);
    writeFileSync(join(dir, "s.py"), PY_RENDER);
    writeFileSync(join(dir, "s.json"), JSON.stringify(scenarios));
    const r = spawnSync("python3", [join(dir, "s.py"), join(dir, "s.json")], { encoding: "utf8", maxBuffer: 1 << 26 });
    expect(r.stderr).toBe("");
    const expected = JSON.parse(r.stdout) as string[];
    expect(expected).toHaveLength(scenarios.length);
    expect(scenarios.map(renderScenario)).toEqual(expected);
  }
});
