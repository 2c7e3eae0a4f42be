/** The mutator prompt holds what the brief lists, and caps feedback. */
import { expect, test } from "bun:test";
import { EvolveOptions, mutatorMessages, type Scored } from "../../src/evolve/index.ts";
import { problem } from "./_kit.ts";

const program = (id: string, score: number, artifacts: Record<string, string> = {}): Scored =>
  ({ id, kind: "child", code: `# EVOLVE-BLOCK-START\nA = ${score}\n# EVOLVE-BLOCK-END`, metrics: { score, hl: 0.25 }, descriptors: [0, 0], objectives: [], artifacts, status: "evaluated" }) as unknown as Scored;

test("system prompt + edit rules; parent with metrics and feedback; top programs; inspirations; capped error; the angle", () => {
  const [system, user] = mutatorMessages({
    problem,
    parent: program("p", 0.5, { reflection: "Personas are too polite." }),
    top: [program("t1", 0.9), program("t2", 0.8)],
    inspirations: [program("i1", 0.1)],
    angle: "move A",
    previousError: `SEARCH block 1 of 1 matches nothing ${"x".repeat(5000)}`,
    stream: 0,
    seed: 1,
    options: EvolveOptions.parse({ feedback_chars: 100 }),
  });
  expect(system!.content).toStartWith("You tune four numbers.\n\nReply with one or more edits");
  const text = user!.content as string;
  const order = ["## Current program\nMetrics: score=0.5000, hl=0.2500\nFeedback (reflection):\nPersonas are too polite.", "A = 0.5", "## Top program 1 of this island\nMetrics: score=0.9000", "## Top program 2 of this island", "## Inspiration 1 (a different behaviour)", "## What went wrong last time\nSEARCH block 1 of 1", "## Your task\nImprove the current program's score. Focus of this change: move A"];
  const at = order.map((s) => text.indexOf(s));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
  expect(text).toContain("… [4936 more characters cut]");
  expect(text.split("Feedback (").length).toBe(2); // only the parent's feedback is shown
});
