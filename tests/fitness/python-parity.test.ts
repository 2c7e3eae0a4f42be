import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readConversations } from "../../src/conversations/index.ts";
import { userTurns } from "../../src/model/index.ts";
import { CUE_SETS, FEATURE_NAMES, fingerprint } from "../../src/fitness/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

/**
 * The fingerprint is defined with Python `re` semantics. An independent Python fingerprint
 * (tests/fixtures/fitness/fingerprint_py.py: one re.search per pattern, re.fullmatch for acknowledgements)
 * reads the reference's pattern banks from the ref cue-set file itself and must give the same 19 values.
 * Skips visibly where python3 is missing.
 */
const HAS_PYTHON = spawnSync("python3", ["--version"]).status === 0;
const REF_FILE = resolve(import.meta.dir, "../../src/fitness/cues/ref.json");
const TRICKY = [
  ["Ça va? NAÏVE café — 東京 行き", "what?\n", "١٢٣٤٥٦٧ and ABCDEFG and a@b.c", "  ok!  ", "ok\u00a0", "\u2003sure.\u2003"],
  ["I'd re-book it_now; thanks!!", "100% sure", "100%x", "hmm... idk", "#W0000902 #AB12", "x@y.z@w.q"],
  ["...", "!!", "   "],
  ["i need help", "i need help now", "please i need help", "i need help i need help", "bye"],
  ["Sorry?", "pardon?\n", "actually, no", "Actually I", "rip-off", "a ripoff", "ly", "you asked", "SERIOUSLY?!", "hmmmm"],
  ["okay!!", "Got you.", "no thank you", "cheers,", "ok ok"],
];

function expectParity(episodes: string[][]) {
  const dir = mkdtempSync(join(tmpdir(), "ppol-parity-"));
  writeFileSync(join(dir, "in.json"), JSON.stringify({ episodes, cues: REF_FILE }));
  const r = spawnSync("python3", [resolve(import.meta.dir, "../fixtures/fitness/fingerprint_py.py"), join(dir, "in.json")], { encoding: "utf8", maxBuffer: 1 << 28 });
  expect(r.stderr).toBe("");
  const py = (JSON.parse(r.stdout) as { features: Record<string, number>[] }).features;
  expect(py).toHaveLength(episodes.length);
  episodes.forEach((turns, i) => {
    const js = fingerprint(turns, CUE_SETS.ref);
    for (const k of FEATURE_NAMES) {
      expect(Math.abs(js[k] - py[i]![k]!), `${k} of ${JSON.stringify(turns).slice(0, 120)}: js ${js[k]} py ${py[i]![k]}`).toBeLessThanOrEqual(1e-12);
    }
  });
}

describe("python parity (ref cue set)", () => {
  test.skipIf(!HAS_PYTHON)(`JS fingerprint equals Python re fingerprint on tricky turns${HAS_PYTHON ? "" : " (SKIPPED: python3 not found)"}`, () => expectParity(TRICKY));

  sharedTest("JS fingerprint equals Python re fingerprint on the shared corpora", () => {
    if (!HAS_PYTHON) return console.warn("[tests] python3 missing: corpus parity not checked");
    const episodes: string[][] = [];
    for (const [file, format] of [["corpora/tau-bench-sim/gpt-4o-airline.json", "tau-bench"], ["corpora/multidogo/insurance/dev.tsv", "multidogo"], ["fixtures/tau-usi-example.json", "tau-usi"]] as const)
      episodes.push(...readConversations(sharedPath(file), format).map(userTurns).filter((t) => t.length));
    expect(episodes.length).toBeGreaterThan(100);
    expectParity(episodes);
  }, 60_000);
});
