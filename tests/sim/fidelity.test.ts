import { describe, expect, test } from "bun:test";
import { checkFidelity, fidelityFlagRate } from "../../src/sim/fidelity.ts";
import { extractIdentifiers } from "../../src/sim/identifiers.ts";
import { CASES } from "../fixtures/sim/fidelity-corpus.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

describe("goal fidelity", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const flags = checkFidelity({ scenario: c.scenario, messages: c.messages });
      expect(flags.map((f) => ({ turn: f.turn, kind: f.kind as string })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(
        [...c.expected].sort((a, b) => a.kind.localeCompare(b.kind)),
      );
    });
  }

  test("precision and recall over the corpus", () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of CASES) {
      const got = checkFidelity({ scenario: c.scenario, messages: c.messages }).map((f) => `${f.turn}:${f.kind}`);
      const want = c.expected.map((f) => `${f.turn}:${f.kind}`);
      tp += got.filter((g) => want.includes(g)).length;
      fp += got.filter((g) => !want.includes(g)).length;
      fn += want.filter((w) => !got.includes(w)).length;
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(`fidelity corpus: ${CASES.length} dialogues, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn})`);
    expect(tp).toBeGreaterThan(0);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  test("flag rate counts user turns with a flag", () => {
    const c = CASES.find((x) => x.name === "invented user id and date")!;
    const flags = checkFidelity({ scenario: c.scenario, messages: c.messages });
    expect(fidelityFlagRate(flags, c.messages)).toBe(1);
    expect(fidelityFlagRate([], [])).toBe(0);
  });

  test("identifiers normalise across spellings", () => {
    const keys = (t: string) => extractIdentifiers(t).map((i) => `${i.kind}:${i.key}`);
    expect(keys("#W5199551")).toEqual(keys("w5199551"));
    expect(keys("May 19th")).toEqual(keys("2024-05-19"));
    expect(keys("$8,276.23")).toEqual(["amount:8276.23"]);
    expect(keys("three passengers")).toEqual(["passenger_count:3"]);
  });
});

describe("goal fidelity on real simulated users", () => {
  sharedTest("τ-bench gpt-4o airline dialogues matched to their τ² scenarios: few flags, and only concrete facts", async () => {
    const { readConversations } = await import("../../src/conversations/index.ts");
    const { loadDomainDir } = await import("../../src/tau2/index.ts");
    const { renderScenario } = await import("../../src/tau2/scenario.ts");
    const domain = loadDomainDir(sharedPath("tau2/domains"), "airline");
    let matched = 0;
    let flagged = 0;
    const kinds = new Set<string>();
    for (const c of readConversations(sharedPath("corpora/tau-bench-sim/gpt-4o-airline.json"), "tau-bench")) {
      // τ-bench and τ² number tasks differently: match by the user id the simulator states.
      const userId = /\b[a-z]+_[a-z]+_\d{4}\b/.exec(c.messages.filter((m) => m.role === "user").map((m) => m.content).join(" "))?.[0];
      const tasks = domain.tasks.filter((t) => userId && JSON.stringify(t.user_scenario).includes(userId));
      if (tasks.length !== 1) continue;
      matched++;
      const flags = checkFidelity({ scenario: renderScenario(tasks[0]!.user_scenario as never), messages: c.messages });
      if (flags.length) flagged++;
      for (const f of flags) kinds.add(f.kind);
    }
    console.log(`real τ-bench airline users: ${matched} dialogues matched to τ² scenarios, ${flagged} flagged (${[...kinds].join(", ") || "none"})`);
    expect(matched).toBeGreaterThan(40);
    // These users mostly follow their scenario: a noisy checker would flag many of them.
    expect(flagged / matched).toBeLessThan(0.15);
    expect(kinds.has("new_goal")).toBe(false);
  });
});
