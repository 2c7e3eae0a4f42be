import { expect, test } from "bun:test";
import { agentSystemPrompt, personaBlock, PPOL_USER_GUIDELINES, stopTokenIn, userGuidelinesFor, userSystemPrompt } from "../../src/sim/prompts.ts";
import { renderScenario } from "../../src/tau2/index.ts";

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

test("the user prompt is τ²'s layout: guidelines as given (trailing newline kept), a blank line, the scenario in tags", () => {
  const rendered = renderScenario(scenario);
  expect(userSystemPrompt("# Guidelines\nBe a user.\n", scenario)).toBe(`# Guidelines\nBe a user.\n\n\n<scenario>\n${rendered}\n</scenario>`);
  // τ² fills the persona slot of its guidelines with nothing by default.
  expect(userSystemPrompt("A<PERSONA_GUIDELINES>B", scenario)).toBe(`AB\n\n<scenario>\n${rendered}\n</scenario>`);
});

test("upstream's guidelines when the data has them, else the paraphrase; each named and hashed", () => {
  const upstream = { text: "upstream text\n", sha256: "abc", source: "/data/user_simulator/simulation_guidelines.md" };
  expect(userGuidelinesFor({ userGuidelines: upstream })).toEqual({ name: "tau2:user_simulator/simulation_guidelines.md", text: "upstream text\n", sha256: "abc" });
  expect(userGuidelinesFor({})).toBe(PPOL_USER_GUIDELINES);
  expect(PPOL_USER_GUIDELINES.sha256).toBe(new Bun.CryptoHasher("sha256").update(PPOL_USER_GUIDELINES.text).digest("hex"));
  expect(PPOL_USER_GUIDELINES.text).toContain("###OUT-OF-SCOPE###");
});

test("the persona block is appended after the scenario, the base prompt is kept verbatim", () => {
  const base = userSystemPrompt(PPOL_USER_GUIDELINES.text, scenario);
  const withPersona = userSystemPrompt(PPOL_USER_GUIDELINES.text, scenario, "You type in lower case and hate waiting.");
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
