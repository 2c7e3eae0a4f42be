import { describe, expect, test } from "bun:test";
import { CUE_SET_NAMES, CUE_SETS, compileCueSet, DEFAULT_CUE_SET, type Features, fingerprint, RATE_FEATURES, resolveCueSet } from "../../src/fitness/index.ts";
import ref from "../../src/fitness/cues/ref.json" with { type: "json" };
import { Config } from "../../src/config/index.ts";
import { UsageError } from "../../src/errors.ts";

/**
 * The `ref` cue set: the PPol reference's pattern banks with the reference's semantics (re.search per
 * pattern on the lower-cased turn, a turn counts once; re.fullmatch on the stripped, lower-cased turn for
 * acknowledgements). For each bank: turns that must match, near misses that must not, and the rate worked
 * out by hand (matches / turns). Several near misses are quirks of the published patterns that ppol must
 * reproduce, not fix (noted inline).
 */
const rate = (name: keyof Features, matches: string[], misses: string[]) => {
  const turns = [...matches, ...misses];
  const f = fingerprint(turns, CUE_SETS.ref);
  expect(f[name]).toBeCloseTo(matches.length / turns.length, 15);
  // Each turn alone: 1 for a match, 0 for a near miss.
  for (const t of matches) expect([t, fingerprint([t], CUE_SETS.ref)[name]]).toEqual([t, 1]);
  for (const t of misses) expect([t, fingerprint([t], CUE_SETS.ref)[name]]).toEqual([t, 0]);
};

describe("ref cue set: data file", () => {
  test("the default; twelve banks, verbatim count per bank, MIT notice and source", () => {
    expect(DEFAULT_CUE_SET).toBe("ref");
    expect(Config.parse({}).fitness.cues).toBe(DEFAULT_CUE_SET); // ppol.toml's default names the same set
    expect(fingerprint(["got you"]).acknowledgment_rate).toBe(1); // an acknowledgement in ref only, so the default is ref
    expect(CUE_SET_NAMES).toEqual(["ref", "ppol-cues-1"]);
    const d = CUE_SETS.ref.data;
    expect(d.version).toBe("ref-d49b1e0");
    expect(d.license).toBe("MIT");
    expect(d.notice).toContain("Copyright (c) 2026 Harshita Chopra");
    expect(d.notice).toContain("The above copyright notice and this permission notice shall be included");
    expect(d.source.repository).toBe("https://github.com/harshita-chopra/persona-policies");
    expect(d.source.path).toBe("ppol/fingerprinting.py");
    // Pattern counts of the reference's lists (POLITENESS_PATTERNS … STRATEGY_PIVOT_PATTERNS), counted there by hand.
    expect(Object.fromEntries(RATE_FEATURES.map((f) => [f, d.banks[f].length]))).toEqual({
      politeness_rate: 25, formality_rate: 25, identity_confusion_rate: 16, uncertainty_rate: 22, certainty_rate: 18, pushback_rate: 17,
      clarification_question_rate: 19, info_seeking_rate: 17, emotional_expression_rate: 33, accusatory_rate: 23, strategy_pivot_rate: 19,
    });
    expect(d.acknowledgment).toHaveLength(1);
  });

  test("unknown names are usage errors naming the choices; a malformed file does not compile", () => {
    expect(resolveCueSet("ppol-cues-1").version).toBe("ppol-cues-1");
    expect(() => resolveCueSet("reff")).toThrow(UsageError);
    expect(() => resolveCueSet("reff", "--cues")).toThrow(/--cues: unknown cue set "reff"/);
    expect(() => compileCueSet({ ...ref, banks: { ...ref.banks, politeness_rate: [] } })).toThrow();
    expect(() => compileCueSet({ ...ref, banks: { ...ref.banks, extra_rate: ["x"] } })).toThrow();
  });
});

describe("ref cue set: one test per bank (rates by hand)", () => {
  test("politeness_rate: 6 of 10", () =>
    rate("politeness_rate",
      ["please help", "Thanks a lot", "thank you", "no worries", "when you get a chance", "if you don't mind"],
      ["pleased to meet", "thankful for it", "no worry", "if you dont mind"])); // the reference spells "don't" only

  test("formality_rate: 5 of 8", () =>
    rate("formality_rate",
      ["it was late \u2014 very late", "a; b", "Furthermore it broke", "with respect to the fee", "in regard to my trip"],
      ["late - very late", "henceforth we go", "in regards to my trip"]));

  test("acknowledgment_rate (whole stripped turn): 5 of 9", () =>
    rate("acknowledgment_rate",
      ["ok", "  Sounds good.  ", "Yes,", "got you!", "OKAY!!!"],
      ["ok but why", "okie", "ok?", "yes please"]));

  test("identity_confusion_rate: 5 of 9", () =>
    rate("identity_confusion_rate",
      ["How can I help you?", "let me check that", "I'd be happy to", "per store policy", "I have escalated it"],
      ["how could I help", "one moment, please", "per the company policy", "let me know"]));

  test("uncertainty_rate: 5 of 8", () =>
    rate("uncertainty_rate",
      ["maybe tuesday", "I'm not sure", "dunno", "hmmm", "it might be"],
      ["hm", "i dont know", "Maybelline"])); // "hmm+" needs two m; "don't know" needs the apostrophe

  test("certainty_rate: 4 of 7", () =>
    rate("certainty_rate",
      ["definitely", "I'm sure it was", "for sure", "100%true"],
      ["100% sure", "of course", "sure"])); // \b100\s*%\b needs a word character right after %: "100% sure" misses

  test("pushback_rate: 6 of 9", () =>
    rate("pushback_rate",
      ["are you sure?", "I already told you", "you asked that", "that is wrong", "as I said", "scroll up"],
      ["thats not right", "are you kidding", "i told you"]));

  test("clarification_question_rate: 7 of 10", () =>
    rate("clarification_question_rate",
      ["what do you mean?", "huh", "so what?", "Sorry?", "wait, what", "can you repeat that", "somewhat do you mean"], // no \b: substrings count
      ["sorry about that", "which flight", "what?!"]));

  test("info_seeking_rate: 7 of 10", () =>
    rate("info_seeking_rate",
      ["what is the status", "any updates?", "can you check my order", "when will it arrive", "do you have a window seat", "i need the receipt", "anyhow do i go"],
      ["can you help", "what time", "thanks"]));

  test("emotional_expression_rate: 6 of 9", () =>
    rate("emotional_expression_rate",
      ["ugh", "this is ridiculous", "I'm so frustrated", "never mind", "seriously?", "come on"],
      ["fine", "madam", "forgetful"]));

  test("accusatory_rate: 6 of 9", () =>
    rate("accusatory_rate",
      ["you are useless", "what a rip off", "ripoff", "this is the worst", "a joke", "you cheated me"],
      ["awfully nice", "rip offer", "jokes aside"]));

  test("strategy_pivot_rate: 6 of 10", () =>
    rate("strategy_pivot_rate",
      ["instead", "actually,no", "actually i want", "how about tuesday", "scratch that", "or maybe"],
      // "actually" counts only before , / let / i / we AND a word boundary: "actually, no" has none after the comma
      ["actually", "actually yes", "actually, no", "what if"]));
});

describe("ref cue set: semantics", () => {
  test("a turn counts once however many patterns it matches; matching is on lower-cased text", () => {
    // "please", "thank you", "sorry", "kindly": 4 patterns, 1 turn → 1 of 2
    expect(fingerprint(["PLEASE kindly, sorry, thank you", "ok"], CUE_SETS.ref).politeness_rate).toBe(0.5);
  });

  test("Python-re notation: punctuation escapes a `u` regex rejects, `.` stopping only at \\n, classes", () => {
    const one = (pattern: string) => compileCueSet({ ...ref, banks: { ...ref.banks, politeness_rate: [pattern] } });
    const hit = (pattern: string, turn: string) => fingerprint([turn], one(pattern)).politeness_rate;
    expect(hit(String.raw`a\!\,\-b`, "a!,-b")).toBe(1);
    expect(hit(String.raw`x[\.\!\,]y`, "x,y")).toBe(1);
    expect(hit("a.c", "a\rc")).toBe(1); // Python's . matches \r (JavaScript's does not)
    expect(hit("a.c", "a\nc")).toBe(0);
    expect(hit(String.raw`[\d]{3}`, "x\u0661\u0662\u0663")).toBe(1); // \d in a class is Unicode Nd, as in Python
  });

  test("Unicode word boundaries and Python's $ before a final newline", () => {
    expect(fingerprint(["cafépleasé"], CUE_SETS.ref).politeness_rate).toBe(0); // é is a word character: no \b
    expect(fingerprint(["café please"], CUE_SETS.ref).politeness_rate).toBe(1);
    expect(fingerprint(["so what?\n"], CUE_SETS.ref).clarification_question_rate).toBe(1);
    expect(fingerprint(["so what?\n\n"], CUE_SETS.ref).clarification_question_rate).toBe(0);
  });
});
