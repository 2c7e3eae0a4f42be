import { describe, expect, test } from "bun:test";
import { userTurns } from "../../src/model/index.ts";
import { CUE_SETS, FEATURE_NAMES, type Features, fingerprint, tokenize } from "../../src/fitness/index.ts";

/** The per-feature tests below pin ppol's own lists (ppol-cues-1); tests/fitness/cues-ref.test.ts pins the ref banks. */
const f = (turns: string[]): Features => fingerprint(turns, CUE_SETS["ppol-cues-1"]);

describe("fingerprint: shape and edge values", () => {
  test("exactly the 19 spec names, in D1..D4 order", () => {
    expect([...FEATURE_NAMES]).toEqual([
      "words_per_turn", "short_utterance_rate", "politeness_rate", "formality_rate", "acknowledgment_rate", "verbosity_cv",
      "repetition_rate", "identity_confusion_rate", "front_loading_ratio", "identifiers_per_turn", "opening_length",
      "uncertainty_rate", "certainty_rate", "pushback_rate", "clarification_question_rate", "info_seeking_rate",
      "emotional_expression_rate", "accusatory_rate", "strategy_pivot_rate",
    ]);
    expect(Object.keys(f(["hi"])).sort()).toEqual([...FEATURE_NAMES].sort());
    expect(CUE_SETS["ppol-cues-1"].version).toBe("ppol-cues-1");
  });

  test("no user turns (or only empty ones) → all 19 values 0", () => {
    for (const turns of [[], [""], ["", ""]]) for (const v of Object.values(f(turns))) expect(v).toBe(0);
  });

  test("only user turns count; agent and tool messages are ignored", () => {
    const turns = userTurns({ messages: [
      { role: "assistant", content: "How can I help you today? I apologize for the inconvenience." },
      { role: "user", content: "refund" },
      { role: "tool", content: "{\"status\": \"ok\"}" },
      { role: "user", content: "" },
    ] });
    expect(turns).toEqual(["refund"]);
    expect(f(turns).identity_confusion_rate).toBe(0);
    expect(f(turns).words_per_turn).toBe(1);
  });

  test("turns of punctuation only give finite values (0 tokens)", () => {
    const v = f(["...", "!!"]);
    for (const x of Object.values(v)) expect(Number.isFinite(x)).toBe(true);
    expect(v.front_loading_ratio).toBe(0); // no tokens at all → 0, not NaN
    expect(v.verbosity_cv).toBe(0); // mean 0 → 0
    expect(v.short_utterance_rate).toBe(1);
  });

  test("tokens are Unicode \\w runs of the lower-cased text", () => {
    expect(tokenize("Café NAÏVE")).toEqual(["café", "naïve"]);
    expect(tokenize("東京 行き, OK?")).toEqual(["東京", "行き", "ok"]);
    expect(tokenize("I'd re-book it_now")).toEqual(["i", "d", "re", "book", "it_now"]);
  });
});

describe("all 19 features of one hand-made conversation, both cue sets (values from the definition)", () => {
  // tokens per turn: 10, 1, 12, 8, 6, 5, 2 → 44 in 7 turns
  const turns = [
    "Hi, what is the fee to change my flight please.", // hi what is the fee to change my flight please
    "ok",
    "Are you sure? I already told you my user id is ABC123.", // are you sure i already told you my user id is abc123
    "Ugh, this is ridiculous; how about Tuesday instead?",
    "maybe I think it was #W1234567",
    "100% sure, actually thats right",
    "got you",
  ];
  // Shared arithmetic: mean 44/7; Σl² = 374, so population variance 374/7 − (44/7)² = 682/49 and cv = √682 / 44;
  // first two turns 11 of 44 tokens; identifiers ABC123 and #W1234567 → 2 of 7 turns' worth.
  const common = {
    words_per_turn: 44 / 7, short_utterance_rate: 2 / 7, verbosity_cv: Math.sqrt(682) / 44, repetition_rate: 0, front_loading_ratio: 0.25,
    identifiers_per_turn: 2 / 7, opening_length: 10, identity_confusion_rate: 0, clarification_question_rate: 0, accusatory_rate: 0,
    politeness_rate: 1 / 7, formality_rate: 1 / 7, uncertainty_rate: 1 / 7, pushback_rate: 1 / 7, info_seeking_rate: 1 / 7, emotional_expression_rate: 1 / 7,
  };
  const expectAll = (got: Features, want: Features) => {
    for (const k of FEATURE_NAMES) expect([k, got[k]]).toEqual([k, expect.closeTo(want[k], 14) as unknown as number]);
  };

  test("ref: 'got you' is an acknowledgement; '100% sure' is not certainty and 'actually thats' no pivot in its banks", () => {
    expectAll(fingerprint(turns, CUE_SETS.ref), { ...common, acknowledgment_rate: 2 / 7, certainty_rate: 0, strategy_pivot_rate: 1 / 7 });
  });

  test("ppol-cues-1: 'got you' is no acknowledgement; '100%' is certainty and 'actually' a pivot", () => {
    expectAll(fingerprint(turns, CUE_SETS["ppol-cues-1"]), { ...common, acknowledgment_rate: 1 / 7, certainty_rate: 1 / 7, strategy_pivot_rate: 2 / 7 });
  });
});

describe("fingerprint: one test per feature, ppol-cues-1 (values derived by hand)", () => {
  test("words_per_turn", () => {
    // tokens: "hello there" 2, "i need help with my booking" 6, "ok" 1 → (2+6+1)/3 = 3
    expect(f(["Hello there", "I need help with my booking", "ok"]).words_per_turn).toBe(3);
  });

  test("short_utterance_rate", () => {
    // lengths 1, 2, 6, 3 → ≤ 3 tokens: 3 of 4 = 0.75 (3 tokens counts as short)
    expect(f(["yes", "no thanks", "I want a refund now please", "one two three"]).short_utterance_rate).toBe(0.75);
  });

  test("politeness_rate", () => {
    // "please" ✓, "thanks" ✓, no cue ✗, "pleased" is not the word "please" ✗ → 2/4
    expect(f(["please help", "Thanks a lot", "give me the refund", "pleased to meet"]).politeness_rate).toBe(0.5);
  });

  test("formality_rate", () => {
    // "regarding" ✓, "furthermore" and ";" ✓, em dash ✓, "ok" ✗ → 3/4
    expect(f(["I am writing regarding my trip", "Furthermore; it was late", "it was late \u2014 very late", "ok"]).formality_rate).toBe(0.75);
  });

  test("acknowledgment_rate", () => {
    // whole-turn acks after strip+lower: "ok!" ✓, "sounds good." ✓, "ok but why" ✗ (more than an ack), "yes," ✓, "yes i want that" ✗ → 3/5
    expect(f(["ok!", "  Sounds good.  ", "ok but why", "Yes,", "yes I want that"]).acknowledgment_rate).toBe(0.6);
  });

  test("verbosity_cv", () => {
    // lengths 1 and 3: mean 2, population std 1 → 0.5
    expect(f(["hi", "one two three"]).verbosity_cv).toBe(0.5);
    // one turn → 0
    expect(f(["one two three"]).verbosity_cv).toBe(0);
  });

  test("repetition_rate", () => {
    // trigram "i need help": 1 + 1 + 1 + 2 = 5 occurrences (> 3); it is in 4 of the 5 turns → 0.8
    expect(f(["i need help", "i need help now", "please i need help", "i need help i need help", "bye"]).repetition_rate).toBe(0.8);
    // exactly 3 occurrences is not "more than 3" → 0
    expect(f(["i need help", "i need help", "i need help", "bye"]).repetition_rate).toBe(0);
    // exactly 4 → the 4 turns holding it of 5 → 0.8; trigrams never span two turns
    expect(f(["i need help", "i need help", "i need help", "i need help", "bye"]).repetition_rate).toBe(0.8);
    expect(f(["a b", "c a b", "c a b", "c a b", "c"]).repetition_rate).toBe(0); // "a b c" only across turns
  });

  test("identity_confusion_rate", () => {
    // "how can i help" ✓, "let me check" ✓, plain request ✗ → 2/3
    expect(f(["How can I help you today?", "let me check my email", "I need a refund"]).identity_confusion_rate).toBeCloseTo(2 / 3, 12);
  });

  test("front_loading_ratio", () => {
    // tokens 2, 4, 6 → first two turns (2+4) / 12 = 0.5
    expect(f(["hi there", "I need a refund", "my order number is one two"]).front_loading_ratio).toBe(0.5);
    // one turn → 1.0
    expect(f(["just one turn here"]).front_loading_ratio).toBe(1);
  });

  test("identifiers_per_turn", () => {
    // per turn, original casing: "#W0000902" 1; "ABC123" + "XYZ7890Q" 2; "5551234567" 1 (the [A-Z0-9]{6,} branch);
    // "lee.k@example.com" 1 (e-mail); nothing 0; lower-case "abc123" 0 → 5 / 6
    const v = f(["my order is #W0000902", "user id ABC123 and code XYZ7890Q", "call 5551234567", "mail lee.k@example.com", "nothing here", "abc123 lower"]);
    expect(v.identifiers_per_turn).toBeCloseTo(5 / 6, 12);
    // non-overlapping: one long run is one match; Unicode digits count for the ≥7-digit branch
    expect(f(["ABCDEFGHIJKL"]).identifiers_per_turn).toBe(1);
    expect(f(["رقم ١٢٣٤٥٦٧"]).identifiers_per_turn).toBe(1);
    expect(f(["12345"]).identifiers_per_turn).toBe(0);
  });

  test("opening_length", () => {
    // "hi, i'd like to change my flight." → hi i d like to change my flight = 8
    expect(f(["Hi, I'd like to change my flight.", "thanks"]).opening_length).toBe(8);
  });

  test("uncertainty_rate", () => {
    // "maybe" ✓, "i think" ✓, none ✗, "not sure" ✓ → 3/4
    expect(f(["maybe tuesday", "I think so", "it is tuesday", "not sure"]).uncertainty_rate).toBe(0.75);
  });

  test("certainty_rate", () => {
    // "definitely" ✓, "i'm sure" ✓, "100%" ✓, "maybe" ✗ → 3/4
    expect(f(["definitely", "I'm sure it was", "100% sure", "maybe"]).certainty_rate).toBe(0.75);
  });

  test("pushback_rate", () => {
    // "i already told" ✓, "are you sure" ✓, "that's wrong" ✓, "ok thanks" ✗ → 3/4
    expect(f(["I already told you my id", "are you sure?", "that's wrong", "ok thanks"]).pushback_rate).toBe(0.75);
  });

  test("clarification_question_rate", () => {
    // "what do you mean" ✓, "which one" ✓, "wait what" ✓, a bare "what?" ending the turn ✓, an ordinary question ✗ → 4/5
    expect(f(["what do you mean?", "which one", "wait what", "what?", "what is my balance"]).clarification_question_rate).toBe(0.8);
    // Python's $ also matches before a final newline
    expect(f(["so what?\n"]).clarification_question_rate).toBe(1);
  });

  test("info_seeking_rate", () => {
    // "what is the status" ✓, "can you check" ✓, "when will" ✓, "thanks" ✗ → 3/4
    expect(f(["what is the status of my order", "can you check my reservation", "when will it arrive", "thanks"]).info_seeking_rate).toBe(0.75);
  });

  test("emotional_expression_rate", () => {
    // "ugh" ✓, "ridiculous" ✓, "frustrated" ✓, "fine" ✗ → 3/4
    expect(f(["ugh", "this is ridiculous", "I'm so frustrated", "fine"]).emotional_expression_rate).toBe(0.75);
  });

  test("accusatory_rate", () => {
    // "useless" ✓, "unacceptable" ✓, "worst" ✓, "ok" ✗ → 3/4
    expect(f(["you are useless", "this is unacceptable", "worst service ever", "ok"]).accusatory_rate).toBe(0.75);
  });

  test("strategy_pivot_rate", () => {
    // "actually"/"let's try" ✓, "how about"/"instead" ✓, "scratch that" ✓, "yes" ✗ → 3/4
    expect(f(["actually, let's try the other card", "how about Tuesday instead", "scratch that", "yes"]).strategy_pivot_rate).toBe(0.75);
  });

  test("cues match on lower-cased text at word boundaries only", () => {
    expect(f(["PLEASE"]).politeness_rate).toBe(1);
    expect(f(["Displease"]).politeness_rate).toBe(0);
    expect(f(["typically"]).uncertainty_rate).toBe(0);
  });
});
