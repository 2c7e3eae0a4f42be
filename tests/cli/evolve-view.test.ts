/** The live view of `ppol evolve`, driven by hand-made events and an injected clock. */
import { expect, test } from "bun:test";
import { EvolveView } from "../../src/cli/evolve-view.ts";
import type { Program } from "../../src/evolve/index.ts";
import type { LlmUsage } from "../../src/llm/index.ts";

const usage = (calls: number) => ({ totals: { calls, cached: 0, failedAttempts: 0, failures: 0, promptTokens: 1500, completionTokens: 500, cost: 0.25 } }) as unknown as LlmUsage;

function program(p: Partial<Program>): Program {
  return { id: "x", kind: "child", generation: 1, slot: 0, attempt: 0, island: 0, parentId: "g0-seed", sourceId: null, code: "", codeSha: "", diff: "", angle: null, mutatorModel: null, mutatorTarget: null, requestHashes: [], tokens: 0, status: "proposed", reason: null, error: null, metrics: null, descriptors: null, objectives: null, artifacts: {}, validation: null, ...p };
}

test("bootstrap progress, the discriminator note, then best/validation, islands, rejections by reason, tokens, cost, calls/s", () => {
  let t = 0;
  const lines: string[] = [];
  const view = new EvolveView({ total: 4, alreadyDone: 0, write: (s) => lines.push(s), isTTY: true, usage: () => usage(20), now: () => t });
  view.on({ kind: "bootstrap", event: { kind: "base_episode", done: 0, total: 2 } });
  t += 500;
  view.on({ kind: "bootstrap", event: { kind: "base_episode", done: 1, total: 2 } });
  t += 500;
  view.on({ kind: "bootstrap", event: { kind: "base_episode", done: 2, total: 2 } });
  view.on({ kind: "bootstrap", event: { kind: "discriminator", id: "d-abc", trained: true, cvAuc: 0.55, weak: true } });
  expect(lines.some((l) => l.includes("bootstrap: base simulator") && l.includes("2/2"))).toBe(true);
  expect(lines.at(-1)).toBe("\r\x1b[2Kppol: discriminator d-abc (trained on the base simulator's episodes): CV ROC-AUC 0.550 — below 0.7: HL will carry little signal\n");

  const seed = program({ id: "g0-seed", kind: "seed", generation: 0, status: "evaluated", metrics: { score: 0.5, hl: 0.6, cov: 0.4 } });
  view.on({ kind: "program", program: seed });
  view.on({ kind: "program", program: { ...seed, validation: { status: "evaluated", metrics: { score: 0.45 }, artifacts: {} } } });
  view.on({ kind: "program", program: program({ id: "g1-s0-a0", status: "rejected", reason: "similar" }) });
  view.on({ kind: "program", program: program({ id: "g1-s0-a1", status: "failed", reason: "timeout" }) });
  const child = program({ id: "g1-s1-a0", island: 1, status: "evaluated", metrics: { score: 0.3, hl: 0.2, cov: 0.4 } });
  view.on({ kind: "program", program: child });
  view.on({ kind: "program", program: { ...child, validation: { status: "evaluated", metrics: { score: 0.2 }, artifacts: {} } } });
  t += 1000; // 2 s since the view started: 20 calls → 10 calls/s
  view.on({ kind: "generation", generation: 1, iterations: 2, evaluations: 3, sinceBest: 1, best: undefined });
  view.finish();
  const last = lines.at(-2)!; // finish ends the live line with a newline
  expect(last).toContain("evolve ████████████░░░░░░░░░░░░ 2/4 50%");
  expect(last).toContain("best 0.500 (val 0.450) HL 0.600 Cov 0.400 · islands 0.50 0.30 · accepted 1 rejected 2 (similar 1, failed timeout 1) · 2.0k tokens · $0.25 · 10.0 calls/s");
});
