import { extractIdentifiers, isKnown, knownKeys, type IdentifierKind } from "./identifiers.ts";

/**
 * Goal-fidelity check (beyond τ², which trusts the prompt): a persona may change HOW the user talks,
 * never WHAT it wants. We flag user turns that state facts the user cannot know — identifiers that are
 * neither in the scenario nor said earlier by the agent — and requests for goals the scenario lacks.
 * Pure and deterministic; an optional LLM judge for goals can be layered on by the caller.
 */
export type FidelityKind = IdentifierKind | "new_goal";

export interface FidelityFlag {
  /** Index of the offending message in the conversation's messages. */
  turn: number;
  kind: FidelityKind;
  evidence: string;
}

export interface FidelityInput {
  /** The scenario as the user simulator saw it (rendered instructions). */
  scenario: string;
  /** τ² domain; read from the scenario's "Domain:" line when absent. Unknown: every goal family. */
  domain?: string;
  messages: { role: string; content: string }[];
}

/**
 * Goal families a τ² user can pursue, with the words that name them, per domain (a retail "return" is
 * not an airline "return flight"). The same cue decides "the scenario has this goal" and "the user asks
 * for it", so synonyms matter on both sides.
 */
export const GOALS: { goal: string; domains: readonly string[]; cue: RegExp }[] = [
  { goal: "cancel", domains: ["retail", "airline"], cue: /\bcancel(?:l?ing|l?ed|lation)?\b(?!\s+(?:a|one|the|my)?\s*(?:passenger|traveller|traveler|person))/i },
  { goal: "return", domains: ["retail"], cue: /\b(?:return(?:ing)?|send (?:it|them|\w+) back)\b/i },
  { goal: "exchange", domains: ["retail"], cue: /\b(?:exchang\w*|swap\w*)\b/i },
  { goal: "address", domains: ["retail"], cue: /\baddress\b/i },
  { goal: "payment method", domains: ["retail"], cue: /\b(?:payment method|pay(?:ing)? with|card on file|switch (?:the )?payment)\b/i },
  { goal: "modify items", domains: ["retail"], cue: /\b(?:modify|change|switch)\b[^.?!]{0,40}\b(?:items?|size|colou?r|options?)\b/i },
  // "my booking" names an existing reservation; asking for a new one is the booking goal.
  {
    goal: "book",
    domains: ["airline"],
    cue: /\b(?:book(?:ing)? (?:a|an|another|new|me|us|him|her|them)|new (?:reservation|booking|flight)|reserve an?|make a (?:new )?reservation|(?:want|like|need|looking) to fly|fly(?:ing)? from)\b/i,
  },
  { goal: "baggage", domains: ["airline"], cue: /\b(?:bags?|baggages?|luggage|suitcases?)\b/i },
  { goal: "cabin change", domains: ["airline"], cue: /\b(?:upgrad\w*|downgrad\w*|business class|first class|(?:basic )?economy)\b/i },
  { goal: "passengers", domains: ["airline"], cue: /\b(?:add|remove|drop|cancel)\w* (?:a |another |one |the )?(?:passenger|traveller|traveler|person)\b/i },
  { goal: "insurance", domains: ["airline"], cue: /\binsurance\b/i },
  { goal: "compensation", domains: ["airline"], cue: /\b(?:compensat\w*|voucher|certificate)\b/i },
  // "a change to my reservation" is too vague to name a goal; a flight, date or itinerary change is not.
  // "a change to my reservation" is too vague to name a goal; a flight, date or itinerary change is not.
  { goal: "flight change", domains: ["airline"], cue: /\b(?:change|move|switch|modify|reschedul\w*)\b[^.?!]{0,60}\b(?:flights?|itinerary|dates?)\b/i },
];

/** A request rather than a mention ("I don't want to cancel" does not ask to cancel). */
const REQUEST = /\b(?:i(?:'d| would)? (?:want|like|need)|i wanna|can (?:you|i|we)|could (?:you|i|we)|please|pls|help me|let'?s|i'm (?:calling|trying|looking) to|also|and)\b/i;
const NEGATED = /\b(?:don'?t|do not|dont|not|no|never|without)\s+(?:\w+\s+){0,2}$/i;

export function checkFidelity({ scenario, messages, domain }: FidelityInput): FidelityFlag[] {
  const known = knownKeys(scenario);
  const name = (domain ?? /\bDomain:\s*(\w+)/.exec(scenario)?.[1] ?? "").toLowerCase();
  const goals = GOALS.filter((g) => !name || !["retail", "airline"].includes(name) || g.domains.includes(name));
  const knownGoals = new Set(goals.filter((g) => g.cue.test(scenario)).map((g) => g.goal));
  const flags: FidelityFlag[] = [];

  messages.forEach((message, turn) => {
    if (message.role === "assistant") {
      // What the agent says becomes known: the user may repeat ids, amounts or offers it heard.
      for (const key of knownKeys(message.content)) known.add(key);
      for (const g of goals) if (g.cue.test(message.content)) knownGoals.add(g.goal);
      return;
    }
    if (message.role !== "user") return;
    for (const id of extractIdentifiers(message.content)) {
      // "one passenger" is rarely a contradiction; an invented extra traveller is.
      if (isKnown(id, known) || (id.kind === "passenger_count" && Number(id.key) < 2)) continue;
      flags.push({ turn, kind: id.kind, evidence: id.text });
      // Flag an invented fact once; later repeats are the same contradiction.
      for (const key of knownKeys(id.text)) known.add(key);
    }
    for (const sentence of message.content.split(/(?<=[.?!])\s+|\n+/)) {
      for (const g of goals) {
        if (knownGoals.has(g.goal)) continue;
        const hit = g.cue.exec(sentence);
        if (!hit || !REQUEST.test(sentence) || NEGATED.test(sentence.slice(0, hit.index))) continue;
        flags.push({ turn, kind: "new_goal", evidence: `${g.goal}: "${sentence.trim().slice(0, 120)}"` });
        knownGoals.add(g.goal);
      }
    }
  });
  return flags;
}

/** Share of user turns carrying at least one flag (0 when there are no user turns). */
export function fidelityFlagRate(flags: FidelityFlag[], messages: { role: string }[]): number {
  const userTurns = messages.filter((m) => m.role === "user").length;
  return userTurns ? new Set(flags.map((f) => f.turn)).size / userTurns : 0;
}
