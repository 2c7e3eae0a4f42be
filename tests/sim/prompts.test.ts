import { expect, test } from "bun:test";
import { agentSystemPrompt, personaBlock, renderScenario, stopTokenIn, userSystemPrompt } from "../../src/sim/prompts.ts";

const scenario = {
  persona: null,
  instructions: {
    domain: "airline",
    reason_for_call: "You want to remove a passenger.\n\nYou are in a hurry.",
    known_info: "Your user id is ana_li_1234.",
    unknown_info: null,
    task_instructions: "Ask for the refund amount.",
  },
};

test("scenario renders in τ²'s tab layout: nested tabs, blank lines unindented, null fields omitted", () => {
  expect(renderScenario(scenario)).toBe(
    "Instructions:\n\tDomain: airline\n\tReason for call:\n\t\tYou want to remove a passenger.\n\n\t\tYou are in a hurry.\n\tKnown info:\n\t\tYour user id is ana_li_1234.\n\tTask instructions:\n\t\tAsk for the refund amount.",
  );
});

test("a persona field and free-text instructions render too", () => {
  expect(renderScenario({ persona: "Busy parent", instructions: "Cancel order #W1." })).toBe("Persona:\n\tBusy parent\nInstructions:\n\tCancel order #W1.");
});

test("the persona block is appended after the scenario, the base prompt is kept verbatim", () => {
  const base = userSystemPrompt(scenario);
  const withPersona = userSystemPrompt(scenario, "You type in lower case and hate waiting.");
  expect(withPersona.startsWith(base)).toBe(true);
  expect(withPersona).toContain("YOUR BEHAVIORAL STYLE FOR THIS CONVERSATION");
  expect(withPersona).toContain("You type in lower case and hate waiting.");
  expect(base).not.toContain("BEHAVIORAL STYLE");
  expect(base).toContain("<scenario>\nInstructions:");
  expect(personaBlock("x")).toContain("not what you want");
});

test("agent prompt wraps instructions and policy; stop tokens are substring matches", () => {
  expect(agentSystemPrompt("POLICY TEXT")).toMatch(/^<instructions>[\s\S]*<\/instructions>\n<policy>\nPOLICY TEXT\n<\/policy>$/);
  expect(stopTokenIn("thanks, bye ###STOP###")).toBe("###STOP###");
  expect(stopTokenIn("###TRANSFER###")).toBe("###TRANSFER###");
  expect(stopTokenIn("ok")).toBeUndefined();
});
