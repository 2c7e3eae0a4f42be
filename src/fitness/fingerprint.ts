/**
 * The 19-feature behavioural fingerprint of one episode's USER turns (ppol-method §4.1), with the PPol
 * reference's arithmetic: population std for verbosity, a set of repeated trigrams, front-loading over
 * the first two turns, identifiers on the original casing. Pure: text and a cue set in, numbers out.
 * Every value is finite; with no user turns all 19 are 0.
 */
import { CUE_SETS, type CueSet, DEFAULT_CUE_SET, IDENTIFIER_REGEX, type RateFeature, TOKEN_REGEX } from "./cues.ts";
import { isAscii, type PyRegex, pyStrip } from "./pyre.ts";

export const D1 = [
  "words_per_turn",
  "short_utterance_rate",
  "politeness_rate",
  "formality_rate",
  "acknowledgment_rate",
  "verbosity_cv",
  "repetition_rate",
  "identity_confusion_rate",
] as const;
export const D2 = ["front_loading_ratio", "identifiers_per_turn", "opening_length"] as const;
export const D3 = ["uncertainty_rate", "certainty_rate", "pushback_rate", "clarification_question_rate", "info_seeking_rate"] as const;
export const D4 = ["emotional_expression_rate", "accusatory_rate", "strategy_pivot_rate"] as const;

/** The fixed feature order of every vector, matrix and model. */
export const FEATURE_NAMES = [...D1, ...D2, ...D3, ...D4] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Features = Record<FeatureName, number>;
export const DIMENSIONS = { D1, D2, D3, D4 } as const;

/** Bump when a feature's definition changes (a cue change is a new cue set version instead). */
export const FEATURE_VERSION = "ppol-fingerprint-1";

export function zeroFeatures(): Features {
  return Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])) as Features;
}

export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  return lower.match(isAscii(text) ? TOKEN_REGEX.ascii : TOKEN_REGEX.unicode) ?? [];
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const rate = (texts: readonly string[], test: (t: string) => boolean) => (texts.length ? texts.filter(test).length / texts.length : 0);

/**
 * Fingerprint of the user turns of one episode. `turns` are the user messages' contents in order
 * (callers pass `userTurns(conversation)`); empty strings are ignored as the reference ignores messages
 * with falsy content (a whitespace-only turn counts, with 0 tokens: preparation drops those beforehand).
 */
export function fingerprint(turns: readonly string[], cues: CueSet = CUE_SETS[DEFAULT_CUE_SET]): Features {
  const texts = turns.filter((t) => t !== "");
  if (texts.length === 0) return zeroFeatures();
  const lower = texts.map((t) => t.toLowerCase());
  // ASCII turns (nearly all) use the fast native regexes; lower-casing never makes a non-ASCII turn need them.
  const ascii = texts.map(isAscii);
  const re = (r: PyRegex, i: number) => (ascii[i] ? r.ascii : r.unicode);
  const tokens = lower.map((t, i) => t.match(re(TOKEN_REGEX, i)) ?? []);
  const lengths = tokens.map((t) => t.length);
  const total = lengths.reduce((a, b) => a + b, 0);
  const m = total / lengths.length;
  const anyCue = lower.map((t, i) => re(cues.any, i).test(t));
  const cue = (name: RateFeature) => {
    let hits = 0;
    for (let i = 0; i < lower.length; i++) if (anyCue[i] && re(cues.banks[name], i).test(lower[i]!)) hits++;
    return hits / lower.length;
  };

  // Population std / mean; 0 with fewer than 2 turns or no tokens (so never NaN).
  let cv = 0;
  if (lengths.length > 1 && m > 0) cv = Math.sqrt(mean(lengths.map((l) => (l - m) ** 2))) / m;

  // With ≥ 2 turns: tokens of the first two over all; one turn: 1.0; no tokens at all: 0 (never NaN).
  const front = total === 0 ? 0 : lengths.length >= 2 ? (lengths[0]! + lengths[1]!) / total : 1;

  return {
    words_per_turn: m,
    short_utterance_rate: lengths.filter((l) => l <= 3).length / lengths.length,
    politeness_rate: cue("politeness_rate"),
    formality_rate: cue("formality_rate"),
    acknowledgment_rate: rate(texts, (t) => {
      const s = pyStrip(t).toLowerCase();
      return (isAscii(s) ? cues.acknowledgment.ascii : cues.acknowledgment.unicode).test(s);
    }),
    verbosity_cv: cv,
    repetition_rate: repetitionRate(tokens),
    identity_confusion_rate: cue("identity_confusion_rate"),
    front_loading_ratio: front,
    identifiers_per_turn: mean(texts.map((t, i) => t.match(re(IDENTIFIER_REGEX, i))?.length ?? 0)),
    opening_length: lengths[0]!,
    uncertainty_rate: cue("uncertainty_rate"),
    certainty_rate: cue("certainty_rate"),
    pushback_rate: cue("pushback_rate"),
    clarification_question_rate: cue("clarification_question_rate"),
    info_seeking_rate: cue("info_seeking_rate"),
    emotional_expression_rate: cue("emotional_expression_rate"),
    accusatory_rate: cue("accusatory_rate"),
    strategy_pivot_rate: cue("strategy_pivot_rate"),
  };
}

/** Share of turns containing a trigram (within the turn) that occurs > 3 times over all user turns. */
function repetitionRate(tokens: readonly (readonly string[])[]): number {
  if (tokens.length === 0) return 0;
  // Tokens → small integers, trigrams → one exact number (below 2^53 while an episode has < 2^17 distinct tokens).
  const ids = new Map<string, number>();
  const coded = tokens.map((t) => t.map((w) => ids.get(w) ?? (ids.set(w, ids.size), ids.size - 1)));
  const K = ids.size + 1;
  const key = K < 1 << 17 ? (t: readonly number[], i: number): number | string => (t[i]! * K + t[i + 1]!) * K + t[i + 2]! : (t: readonly number[], i: number): number | string => `${t[i]},${t[i + 1]},${t[i + 2]}`;
  const counts = new Map<number | string, number>();
  for (const t of coded) for (let i = 0; i + 2 < t.length; i++) counts.set(key(t, i), (counts.get(key(t, i)) ?? 0) + 1);
  let hits = 0;
  for (const t of coded) {
    for (let i = 0; i + 2 < t.length; i++) {
      if (counts.get(key(t, i))! > 3) {
        hits++;
        break;
      }
    }
  }
  return hits / tokens.length;
}

export function toVector(f: Features): number[] {
  return FEATURE_NAMES.map((n) => f[n]);
}

export function fromVector(v: readonly number[]): Features {
  return Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, v[i] ?? 0])) as Features;
}
