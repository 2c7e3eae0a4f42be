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
  messages: { role: string; content: string }[];
}

/** Goal families a τ² retail/airline user can pursue, with the words that name them. */
export const GOALS: { goal: string; cue: RegExp }[] = [
  { goal: "cancel", cue: /\bcancel(?:l?ing|l?ed|lation)?\b/i },
  { goal: "return", cue: /\b(?:return(?:ing)?|send (?:it|them|\w+) back)\b/i },
  { goal: "exchange", cue: /\b(?:exchang\w*|swap\w*)\b/i },
  { goal: "address", cue: /\baddress\b/i },
  { goal: "payment method", cue: /\b(?:payment method|pay(?:ing)? with|card on file|switch (?:the )?payment)\b/i },
  // "my booking" names an existing reservation; only asking for a new one is the booking goal.
  { goal: "book", cue: /\b(?:book (?:a|an|another|new|me|us)|new (?:reservation|booking|flight)|reserve an?)\b/i },
  { goal: "baggage", cue: /\b(?:bags?|baggage|luggage|suitcases?)\b/i },
  { goal: "cabin change", cue: /\b(?:upgrad\w*|downgrad\w*|business class|first class|economy)\b/i },
  { goal: "passengers", cue: /\b(?:add|remove|drop)\w* (?:a |another |one )?(?:passenger|traveller|traveler|person)\b/i },
  { goal: "insurance", cue: /\binsurance\b/i },
  { goal: "compensation", cue: /\b(?:compensat\w*|voucher|certificate)\b/i },
  { goal: "flight change", cue: /\b(?:change|move|switch|reschedul\w*)\b[^.?!]{0,30}\bflights?\b/i },
  { goal: "modify items", cue: /\b(?:modify|change|switch)\b[^.?!]{0,30}\b(?:items?|size|colou?r|options?)\b/i },
];

/** A request rather than a mention ("I don't want to cancel" does not ask to cancel). */
const REQUEST = /\b(?:i(?:'d| would)? (?:want|like|need)|i wanna|can (?:you|i|we)|could (?:you|i|we)|please|pls|help me|let'?s|i'm (?:calling|trying|looking) to|also|and)\b/i;
const NEGATED = /\b(?:don'?t|do not|dont|not|no|never|without)\s+(?:\w+\s+){0,2}$/i;

export function checkFidelity({ scenario, messages }: FidelityInput): FidelityFlag[] {
  const known = knownKeys(scenario);
  const knownGoals = new Set(GOALS.filter((g) => g.cue.test(scenario)).map((g) => g.goal));
  const flags: FidelityFlag[] = [];

  messages.forEach((message, turn) => {
    if (message.role === "assistant") {
      // What the agent says becomes known: the user may repeat ids, amounts or offers it heard.
      for (const key of knownKeys(message.content)) known.add(key);
      for (const g of GOALS) if (g.cue.test(message.content)) knownGoals.add(g.goal);
      return;
    }
    if (message.role !== "user") return;
    for (const id of extractIdentifiers(message.content)) {
      if (isKnown(id, known)) continue;
      flags.push({ turn, kind: id.kind, evidence: id.text });
      // Flag an invented fact once; later repeats are the same contradiction.
      for (const key of knownKeys(id.text)) known.add(key);
    }
    for (const sentence of message.content.split(/(?<=[.?!])\s+|\n+/)) {
      for (const g of GOALS) {
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
