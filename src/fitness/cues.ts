/**
 * Cue sets of the behavioural fingerprint (ppol-method §4.1): data files in ./cues/, one per version.
 *
 * - `ref` (the default): the PPol reference implementation's twelve pattern banks, verbatim, with its MIT
 *   notice and source. They are part of the published metric's definition, so with them the 19 features
 *   equal the reference's values.
 * - `ppol-cues-1`: ppol's own lists (the spec's examples extended with chat spellings), kept selectable.
 *
 * Both are evaluated with the reference's semantics: a rate feature is the share of user turns in which at
 * least one pattern of its bank is found (`re.search`) in the lower-cased turn; the acknowledgement rate
 * is the share of turns whose stripped, lower-cased text fully matches (`re.fullmatch`) one of its
 * patterns. Patterns are Python-re notation, translated by pyre.ts. Changing any pattern changes every
 * score, so it needs a new file with a new version; the version is stored with every discriminator and
 * score, and a discriminator refuses fingerprints of another version.
 */
import { z } from "zod";
import { UsageError } from "../errors.ts";
import ppolCues1 from "./cues/ppol-cues-1.json" with { type: "json" };
import ref from "./cues/ref.json" with { type: "json" };
import { type PyRegex, pyFullmatchPair, pyRegexPair } from "./pyre.ts";

/** The eleven features that are "share of turns matching a bank", in feature order. */
export const RATE_FEATURES = [
  "politeness_rate",
  "formality_rate",
  "identity_confusion_rate",
  "uncertainty_rate",
  "certainty_rate",
  "pushback_rate",
  "clarification_question_rate",
  "info_seeking_rate",
  "emotional_expression_rate",
  "accusatory_rate",
  "strategy_pivot_rate",
] as const;
export type RateFeature = (typeof RATE_FEATURES)[number];

const Patterns = z.array(z.string().min(1)).min(1);

/** A cue-set data file. */
export const CueSetData = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string(),
  source: z.record(z.string(), z.string()),
  license: z.string(),
  /** The upstream licence notice, when the patterns come from another project. */
  notice: z.string().optional(),
  about: z.record(z.string(), z.string()).optional(),
  acknowledgment: Patterns,
  banks: z.strictObject(Object.fromEntries(RATE_FEATURES.map((f) => [f, Patterns])) as Record<RateFeature, typeof Patterns>),
});
export type CueSetData = z.infer<typeof CueSetData>;

/** A cue set compiled for the fingerprint. */
export interface CueSet {
  name: string;
  version: string;
  /** One alternation per bank: "some pattern is found" is the same as "the alternation is found". */
  banks: Record<RateFeature, PyRegex>;
  /** Every pattern of every bank: a turn this misses misses every bank, so the per-bank tests are skipped. */
  any: PyRegex;
  /** Full match on the stripped, lower-cased turn. */
  acknowledgment: PyRegex;
  data: CueSetData;
}

const alternation = (patterns: readonly string[]) => patterns.map((p) => `(?:${p})`).join("|");

export function compileCueSet(raw: unknown): CueSet {
  const data = CueSetData.parse(raw);
  return {
    name: data.name,
    version: data.version,
    banks: Object.fromEntries(RATE_FEATURES.map((f) => [f, pyRegexPair(alternation(data.banks[f]))])) as Record<RateFeature, PyRegex>,
    any: pyRegexPair(alternation(RATE_FEATURES.flatMap((f) => data.banks[f]))),
    acknowledgment: pyFullmatchPair(alternation(data.acknowledgment)),
    data,
  };
}

export const CUE_SET_NAMES = ["ref", "ppol-cues-1"] as const;
export type CueSetName = (typeof CUE_SET_NAMES)[number];
export const DEFAULT_CUE_SET: CueSetName = "ref";

/** Every cue set ppol ships, by the name `--cues` and `fitness.cues` take. */
export const CUE_SETS: Readonly<Record<CueSetName, CueSet>> = { ref: compileCueSet(ref), "ppol-cues-1": compileCueSet(ppolCues1) };

/** The cue set called `name`; `from` says where the name came from (for the error). */
export function resolveCueSet(name: string, from = "--cues"): CueSet {
  const set = (CUE_SETS as Record<string, CueSet>)[name];
  if (!set) throw new UsageError(`${from}: unknown cue set "${name}"`, `use one of: ${CUE_SET_NAMES.join(", ")}`);
  return set;
}

/** The shipped cue set with this version, if any (to name the flag that reproduces a stored version). */
export function cueSetByVersion(version: string): CueSet | undefined {
  return Object.values(CUE_SETS).find((s) => s.version === version);
}

/**
 * D2 identifiers, on the ORIGINAL casing, one alternation tried left to right in this order:
 * `#` + ≥5 of [A-Z0-9]; ≥6 of [A-Z0-9]; a whole-word run of ≥7 digits; an e-mail-like token.
 * Part of the feature definition (the same for every cue set).
 */
export const IDENTIFIER_REGEX = pyRegexPair(String.raw`#[A-Z0-9]{5,}|[A-Z0-9]{6,}|\b\d{7,}\b|\S+@\S+\.\S+`, "g");

/** Tokens: `\b\w+\b` on lower-cased text, i.e. maximal runs of Unicode word characters. */
export const TOKEN_REGEX = pyRegexPair(String.raw`\b\w+\b`, "g");
