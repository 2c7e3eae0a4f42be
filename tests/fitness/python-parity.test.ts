import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readConversations, userTurns } from "../../src/conversations/index.ts";
import { ACKNOWLEDGMENTS, CUE_LISTS, fingerprint } from "../../src/fitness/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

/**
 * The fingerprint is defined with Python `re` semantics. This runs an independent stdlib-Python
 * fingerprint (tests/fixtures/fitness/fingerprint_py.py) over the same cue sources and compares all 19
 * values. Skips visibly where python3 is missing.
 */
const HAS_PYTHON = spawnSync("python3", ["--version"]).status === 0;
const TRICKY = [
  ["Ça va? NAÏVE café — 東京 行き", "what?\n", "١٢٣٤٥٦٧ and ABCDEFG and a@b.c", "  ok!  ", "ok\u00a0", "\u2003sure.\u2003"],
  ["I'd re-book it_now; thanks!!", "100% sure", "hmm... idk", "#W0000902 #AB12", "x@y.z@w.q"],
  ["...", "!!"],
  ["i need help", "i need help now", "please i need help", "i need help i need help", "bye"],
];

const CUE_SOURCES = CUE_LISTS;

function expectParity(episodes: string[][]) {
  const dir = mkdtempSync(join(tmpdir(), "ppol-parity-"));
  writeFileSync(join(dir, "in.json"), JSON.stringify({ episodes, cues: CUE_SOURCES, acks: ACKNOWLEDGMENTS }));
  const r = spawnSync("python3", [resolve(import.meta.dir, "../fixtures/fitness/fingerprint_py.py"), join(dir, "in.json")], { encoding: "utf8", maxBuffer: 1 << 28 });
  expect(r.stderr).toBe("");
  const py = JSON.parse(r.stdout) as Record<string, number>[];
  expect(py).toHaveLength(episodes.length);
  episodes.forEach((turns, i) => {
    const js = fingerprint(turns);
    for (const [k, v] of Object.entries(js)) expect([k, v], JSON.stringify(turns).slice(0, 120)).toEqual([k, py[i]![k]!]);
  });
}

describe("python parity", () => {
  (HAS_PYTHON ? test : test.skip)("JS fingerprint equals Python re fingerprint on tricky turns", () => expectParity(TRICKY));

  sharedTest("JS fingerprint equals Python re fingerprint on the shared corpora", () => {
    if (!HAS_PYTHON) return console.warn("[tests] python3 missing: corpus parity not checked");
    const episodes: string[][] = [];
    for (const [file, format] of [["corpora/tau-bench-sim/gpt-4o-airline.json", "tau-bench"], ["corpora/multidogo/insurance/dev.tsv", "multidogo"], ["fixtures/tau-usi-example.json", "tau-usi"]] as const)
      episodes.push(...readConversations(sharedPath(file), format).map(userTurns).filter((t) => t.length));
    expectParity(episodes);
  }, 60_000);
});
