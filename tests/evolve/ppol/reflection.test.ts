/**
 * The reflection prompt, pure: which episodes it shows, how dialogues are cut, the caps of ppol-method
 * §4.5 and the reference (contexts 2,200, personas 1,200, excerpts 20 messages / 2,400 characters), and
 * what it never shows (Dice, indices).
 */
import { describe, expect, test } from "bun:test";
import { dialogueExcerpt, pickEpisodes, REFLECTION, reflectionPrompt } from "../../../src/evolve/index.ts";
import { zeroFeatures } from "../../../src/fitness/index.ts";
import type { EpisodeRecord } from "../../../src/store/index.ts";

function episode(id: string, pHuman: number, persona = `persona ${id}`, messages: EpisodeRecord["messages"] = [{ role: "user", content: `hello from ${id}`, turn: 0 }]) {
  const e = { id, task_id: "7", persona_key: "p0", persona_text: persona, messages } as unknown as EpisodeRecord;
  return { episode: e, features: { ...zeroFeatures(), words_per_turn: 3.25 }, pHuman };
}

describe("pickEpisodes", () => {
  test("the two most human-like (best first), then the two least (worst first)", () => {
    const eps = [0.5, 0.9, 0.1, 0.7, 0.3, 0.2].map((p, i) => episode(`e${i}`, p));
    expect(pickEpisodes(eps).map((e) => e.pHuman)).toEqual([0.9, 0.7, 0.1, 0.2]);
  });
  test("with fewer than four episodes each appears once", () => {
    expect(pickEpisodes([episode("a", 0.2), episode("b", 0.8), episode("c", 0.5)]).map((e) => e.episode.id)).toEqual(["b", "c", "a"]);
  });
});

describe("dialogueExcerpt", () => {
  test("user and agent text only, empty messages skipped, long agent messages keep 100 + 100 characters", () => {
    const long = `${"A".repeat(100)}${"m".repeat(100)}${"Z".repeat(100)}`;
    const text = dialogueExcerpt([
      { role: "assistant", content: "Hi! How can I help?" },
      { role: "user", content: "  " },
      { role: "assistant", content: null },
      { role: "tool", content: '{"secret": 1}' },
      { role: "user", content: "my bag" },
      { role: "assistant", content: long },
    ]);
    expect(text).toBe(`ASSISTANT: Hi! How can I help?\nUSER: my bag\nASSISTANT: ${"A".repeat(100)} ... ${"Z".repeat(100)}`);
  });
  test("the first 20 messages, at most 2,400 characters", () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ role: i % 2 ? "assistant" : "user", content: `turn ${i}` }));
    const text = dialogueExcerpt(many);
    expect(text.split("\n")).toHaveLength(20);
    expect(text).not.toContain("turn 20");
    const big = Array.from({ length: 20 }, () => ({ role: "user", content: "x".repeat(300) }));
    expect(dialogueExcerpt(big)).toHaveLength(REFLECTION.excerptChars);
  });
});

describe("reflectionPrompt", () => {
  const long = "p".repeat(1500);
  const prompt = reflectionPrompt({
    metrics: { score: 0.61234, hl: 0.7, cov: 0.5 },
    tasks: [{ context: `scenario ${"c".repeat(3000)}`, personas: [{ hl: 0.25, behaviours: ["terse", "skeptical"] }, { hl: null, behaviours: [] }] }],
    episodes: [episode("a", 0.9, long), episode("b", 0.1)],
  });

  test("metrics, each persona's HL and active behaviours, the episodes' personas, features and dialogues", () => {
    expect(prompt).toContain("combined score: 0.6123");
    expect(prompt).toContain("human likeness (HL, mean P(human)): 0.7000");
    expect(prompt).toContain('human likeness 0.2500; active behaviours: ["terse","skeptical"]');
    expect(prompt).toContain("human likeness n/a; active behaviours: []");
    expect(prompt).toContain("## Dialogue (human likeness 0.9000)");
    expect(prompt).toContain("words_per_turn=3.250");
    expect(prompt).toContain("USER: hello from b");
    expect(prompt).toContain("300 words at most");
  });

  test("caps: scenario 2,200 characters, persona 1,200 (marked)", () => {
    expect(prompt).toContain(`scenario ${"c".repeat(2200 - 9)}\nPersonas written for it:`);
    expect(prompt).toContain(`${"p".repeat(1200)}\n[...]`);
    expect(prompt).not.toContain("p".repeat(1201));
  });

  test("never Dice or USI; the data it shows carries no numbered tasks or persona labels", () => {
    expect(prompt).not.toMatch(/dice|usi\b|D1|D4/i);
    expect(prompt.slice(prompt.indexOf("# Metrics"))).not.toMatch(/Task \d|Sample \d|\bp\d\b|persona_key/);
  });
});
