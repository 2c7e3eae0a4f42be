/**
 * The texts the two simulated parties see: the user simulator's guidelines (upstream τ²'s file when the
 * data folder has it, else our paraphrase of it, spec tau2-bench §5), the scenario in τ²'s layout (§3),
 * and the PPol persona block (ppol-method §3).
 */
import { CONTROL_TOKENS } from "../conversations/index.ts";
import { sha256 } from "../hash.ts";
import { type Domain, renderScenario, type UserScenario } from "../tau2/index.ts";

export const AGENT_GREETING = "Hi! How can I help you today?";
/** τ²'s user stop tokens; preparation strips the same list (one list, kept with the conversations). */
export const STOP_TOKENS = CONTROL_TOKENS;

export const AGENT_INSTRUCTIONS = `You are a customer service agent. Help the user according to the <policy> below.
In each turn you either send a message to the user or make a tool call, never both in the same turn.
Follow the policy strictly, be helpful, and always produce valid JSON for tool arguments.`;

export function agentSystemPrompt(policy: string): string {
  return `<instructions>\n${AGENT_INSTRUCTIONS}\n</instructions>\n<policy>\n${policy}\n</policy>`;
}

const USER_GUIDELINES = `# User simulation guidelines
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

/** The guidelines text the user simulator gets, named and hashed so each run can record which it saw. */
export interface UserGuidelines {
  name: string;
  text: string;
  sha256: string;
}

export const PPOL_USER_GUIDELINES: UserGuidelines = { name: "ppol:paraphrase-1", text: USER_GUIDELINES, sha256: sha256(USER_GUIDELINES) };

/** Upstream's guidelines when the domain's data came with them (used verbatim, as τ² does), else ours. */
export function userGuidelinesFor(domain: Pick<Domain, "userGuidelines">): UserGuidelines {
  const g = domain.userGuidelines;
  return g ? { name: "tau2:user_simulator/simulation_guidelines.md", text: g.text, sha256: g.sha256 } : PPOL_USER_GUIDELINES;
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

/**
 * System prompt of the user simulator, laid out as τ²'s: the guidelines as they are (τ² fills their
 * `<PERSONA_GUIDELINES>` slot with nothing by default), a blank line, the scenario in tags; then the
 * persona block if any.
 */
export function userSystemPrompt(guidelines: string, scenario: UserScenario, persona?: string | null): string {
  const base = `${guidelines.replaceAll("<PERSONA_GUIDELINES>", "")}\n\n<scenario>\n${renderScenario(scenario)}\n</scenario>`;
  return persona ? `${base}\n\n${personaBlock(persona)}` : base;
}

/** Which stop token (if any) a user message carries; τ² matches them as substrings. */
export function stopTokenIn(text: string): (typeof STOP_TOKENS)[number] | undefined {
  return STOP_TOKENS.find((t) => text.includes(t));
}
