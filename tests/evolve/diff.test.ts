/** SEARCH/REPLACE edits inside EVOLVE blocks: exact, whitespace-tolerant, loud failures, full rewrites. */
import { describe, expect, test } from "bun:test";
import { applyEdits, evolveRegions, parseEditBlocks, spliceRewrite } from "../../src/evolve/index.ts";

const PROGRAM = [
  "import json",
  "LIMIT = 3",
  "# EVOLVE-BLOCK-START",
  "def axes():",
  "    return [",
  '        "terse",',
  '        "skeptical",',
  "    ]",
  "# EVOLVE-BLOCK-END",
  "def main():",
  "    return axes()[:LIMIT]",
].join("\n");

const block = (search: string, replace: string) => `<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE`;

describe("parse", () => {
  test("blocks inside and outside code fences, in order; an unterminated block is ignored", () => {
    const reply = `Some text\n\`\`\`python\n${block("a", "b")}\n\`\`\`\nmore\n${block("c\nd", "")}\n<<<<<<< SEARCH\nx\n=======\n`;
    expect(parseEditBlocks(reply)).toEqual([
      { search: "a", replace: "b" },
      { search: "c\nd", replace: "" },
    ]);
  });

  test("regions: content lines between markers, any comment prefix; unbalanced markers are named", () => {
    expect(evolveRegions(PROGRAM)).toEqual([{ start: 3, end: 8 }]);
    expect(evolveRegions("// EVOLVE-BLOCK-START\nx\n// EVOLVE-BLOCK-END\ny\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END")).toEqual([{ start: 1, end: 2 }, { start: 5, end: 5 }]);
    expect(evolveRegions("x = 1")).toBe("no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END markers");
    expect(evolveRegions("# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-START")).toBe("EVOLVE-BLOCK-START on line 2 inside the block opened on line 1");
    expect(evolveRegions("# EVOLVE-BLOCK-START\nx")).toBe("EVOLVE-BLOCK-START on line 1 is never closed");
    expect(evolveRegions("# EVOLVE-BLOCK-END")).toBe("EVOLVE-BLOCK-END on line 1 without a start");
  });
});

describe("apply", () => {
  test("exact match replaces just those lines", () => {
    const r = applyEdits(PROGRAM, parseEditBlocks(block('        "skeptical",', '        "skeptical",\n        "vague",')));
    expect(r).toEqual({ ok: true, code: PROGRAM.replace('        "skeptical",', '        "skeptical",\n        "vague",') });
  });

  test("whitespace-tolerant match re-indents the replacement to the program's indentation", () => {
    const r = applyEdits(PROGRAM, parseEditBlocks(block('return [\n    "terse",', 'return [\n    "impatient",\n    "terse",')));
    expect(r.ok && r.code.split("\n").slice(4, 7)).toEqual(["    return [", '        "impatient",', '        "terse",']);
  });

  test("several blocks apply in order, each seeing the result of the last", () => {
    const r = applyEdits(PROGRAM, [...parseEditBlocks(block('        "terse",', '        "blunt",')), ...parseEditBlocks(block('        "blunt",', '        "curt",'))]);
    expect(r.ok && r.code).toContain('"curt"');
    expect(r.ok && r.code).not.toContain('"terse"');
  });

  test("a block that matches nothing fails loudly with the nearest lines (and the other blocks are not half-applied)", () => {
    const r = applyEdits(PROGRAM, [...parseEditBlocks(block('        "terse",', '        "x",')), ...parseEditBlocks(block('        "skepticle",', "        1,"))]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe('SEARCH block 2 of 2 matches nothing inside the EVOLVE blocks (its first line: ""skepticle","). The nearest lines of the program are:\n   7|         "skeptical",\nCopy SEARCH text exactly from the program.');
  });

  test("text outside the EVOLVE blocks is refused even when it matches", () => {
    const r = applyEdits(PROGRAM, parseEditBlocks(block("LIMIT = 3", "LIMIT = 99")));
    expect(!r.ok && r.error).toBe("SEARCH block 1 of 1 matches line 2, outside the EVOLVE blocks: edit only between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END");
  });

  test("a search that spans a marker is refused; no blocks and empty blocks are errors", () => {
    expect(applyEdits(PROGRAM, parseEditBlocks(block("    ]\n# EVOLVE-BLOCK-END\ndef main():", "")))).toMatchObject({ ok: false });
    expect(applyEdits(PROGRAM, [])).toMatchObject({ ok: false, error: expect.stringContaining("no SEARCH/REPLACE blocks") });
    expect(applyEdits(PROGRAM, [{ search: "\n  \n", replace: "x" }])).toMatchObject({ ok: false, error: "SEARCH block 1 of 1 is empty: copy the lines to change from the program" });
  });
});

describe("full rewrite", () => {
  test("the rewritten blocks replace the program's; everything outside stays the parent's", () => {
    const reply = "```python\nimport os\nLIMIT = 100\n# EVOLVE-BLOCK-START\ndef axes():\n    return []\n# EVOLVE-BLOCK-END\n```";
    const r = spliceRewrite(PROGRAM, reply);
    expect(r.ok && r.code).toBe(["import json", "LIMIT = 3", "# EVOLVE-BLOCK-START", "def axes():", "    return []", "# EVOLVE-BLOCK-END", "def main():", "    return axes()[:LIMIT]"].join("\n"));
  });

  test("a rewrite without markers or with another number of blocks is refused", () => {
    expect(spliceRewrite(PROGRAM, "def axes(): pass")).toMatchObject({ ok: false, error: expect.stringContaining("keep the EVOLVE-BLOCK-START") });
    expect(spliceRewrite(PROGRAM, "# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END\n# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-END")).toMatchObject({ ok: false, error: "the rewritten program has 2 EVOLVE blocks, the program has 1" });
  });
});
