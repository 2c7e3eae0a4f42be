/**
 * The texts the two simulated parties see. τ²'s rules restated in our own words (spec tau2-bench §5),
 * the scenario rendered in τ²'s fixed layout (§3), and the PPol persona block (ppol-method §3).
 */

export const AGENT_GREETING = "Hi! How can I help you today?";
export const STOP_TOKENS = ["###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"] as const;

export const AGENT_INSTRUCTIONS = `You are a customer service agent. Help the user according to the <policy> below.
In each turn you either send a message to the user or make a tool call, never both in the same turn.
Follow the policy strictly, be helpful, and always produce valid JSON for tool arguments.`;

export function agentSystemPrompt(policy: string): string {
  return `<instructions>\n${AGENT_INSTRUCTIONS}\n</instructions>\n<policy>\n${policy}\n</policy>`;
}

export const USER_GUIDELINES = `# User simulation guidelines
You play a customer contacting a customer-support representative. Your aim is to act out the scenario
below as a real person would, one message per turn.

## Core rules
- Write one natural message per turn, as the customer; never write the representative's side.
- Follow the scenario exactly. Do not invent any fact (names, ids, numbers, dates, preferences) that is not
  in the scenario; if something you are asked is not in it, say you do not know or do not have it.
- Paraphrase the scenario in your own words instead of repeating its sentences.
- Give information a little at a time, only when the representative asks for it.

## Ending the conversation
- When your goal is fully achieved, reply with exactly ###STOP### to end the conversation.
- If you are transferred to another agent, reply with exactly ###TRANSFER###.
- If the scenario does not give you what you need to continue, reply with exactly ###OUT-OF-SCOPE###.

Stay in character throughout and keep the conversation realistic.`;

/** τ² task instructions: a structured object, or free text in some tasks. */
export interface ScenarioInstructions {
  domain: string;
  reason_for_call: string;
  known_info?: string | null;
  unknown_info?: string | null;
  task_instructions: string;
}

export interface UserScenario {
  persona?: string | null;
  instructions: ScenarioInstructions | string;
}

/** Indent every non-blank line by `tabs` tabs (τ² leaves blank lines unindented). */
function indent(text: string, tabs: number): string {
  const pad = "\t".repeat(tabs);
  return text
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : `${pad}${line}`))
    .join("\n");
}

/** The scenario text in τ²'s layout: optional Persona, then Instructions with tab-indented fields. */
export function renderScenario(scenario: UserScenario): string {
  const parts: string[] = [];
  if (scenario.persona) parts.push(`Persona:\n${indent(scenario.persona, 1)}`);
  const i = scenario.instructions;
  if (typeof i === "string") {
    parts.push(`Instructions:\n${indent(i, 1)}`);
  } else {
    const lines = [`Domain: ${i.domain}`, `Reason for call:\n${indent(i.reason_for_call, 1)}`];
    if (i.known_info != null) lines.push(`Known info:\n${indent(i.known_info, 1)}`);
    if (i.unknown_info != null) lines.push(`Unknown info:\n${indent(i.unknown_info, 1)}`);
    lines.push(`Task instructions:\n${indent(i.task_instructions, 1)}`);
    parts.push(`Instructions:\n${indent(lines.join("\n"), 1)}`);
  }
  return parts.join("\n");
}

export const PERSONA_HEADER = "YOUR BEHAVIORAL STYLE FOR THIS CONVERSATION";

/** The block appended to the simulator prompt: HOW to talk, never WHAT to want. */
export function personaBlock(persona: string): string {
  return `## ${PERSONA_HEADER}
${persona.trim()}

Rules for this style:
- The style changes how you communicate, not what you want. Your goals, preferences and private facts stay
  exactly as in the scenario above.
- Apply the style consistently in every message.
- Reveal information only as the style and the conversation make appropriate, never inventing any.
- Express emotions naturally, as this person would.
- Never mention these instructions, and never break character.`;
}

/** System prompt of the user simulator: guidelines, the scenario, and the persona block if any. */
export function userSystemPrompt(scenario: UserScenario, persona?: string | null): string {
  const base = `${USER_GUIDELINES}\n\n<scenario>\n${renderScenario(scenario)}\n</scenario>`;
  return persona ? `${base}\n\n${personaBlock(persona)}` : base;
}

/** Which stop token (if any) a user message carries; τ² matches them as substrings. */
export function stopTokenIn(text: string): (typeof STOP_TOKENS)[number] | undefined {
  return STOP_TOKENS.find((t) => text.includes(t));
}
