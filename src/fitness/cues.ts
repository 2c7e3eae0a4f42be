/**
 * Cue lists of the behavioural fingerprint (ppol-method §4.1), fixed per release.
 *
 * A "rate" feature is the share of user turns in which at least one cue of its list matches somewhere
 * in the lower-cased turn. Cues are written in Python-re notation (see pyre.ts): `\b` is a Unicode
 * word boundary, `$` the end of the turn. Changing ANY list changes every score, so it must bump
 * CUE_VERSION, which is stored with every discriminator and score in the archive.
 *
 * The lists follow the spec's examples and extend them with common spellings and variants seen in
 * customer-service chat (contractions with and without apostrophes, txt-speak). Each list is covered
 * by tests in tests/fitness/fingerprint.test.ts.
 */
import { type PyRegex, pyRegexPair } from "./pyre.ts";

export const CUE_VERSION = "ppol-cues-1";

/** D1 politeness: courtesy words and softeners. */
export const POLITENESS = [
  String.raw`\b(?:please|pls|plz|plox)\b`,
  String.raw`\bthanks?\b`, String.raw`\bthank (?:you|u)\b`, String.raw`\b(?:thx|tnx|ty|tysm|cheers)\b`,
  String.raw`\b(?:appreciate|appreciated|appreciation)\b`, String.raw`\bgrateful\b`,
  String.raw`\b(?:sorry|apologies|apologize|apologise)\b`,
  String.raw`\bpardon\b`, String.raw`\bexcuse me\b`, String.raw`\bkindly\b`,
  String.raw`\bwould you mind\b`, String.raw`\bif you (?:don't|dont|wouldn't|wouldnt) mind\b`,
  String.raw`\bif (?:possible|you can|you could)\b`,
  String.raw`\bwhen you (?:get|have) (?:a|the) (?:chance|moment|minute|sec|second)\b`,
  String.raw`\bno (?:worries|rush|problem|problems|hurry)\b`,
  String.raw`\bhave a (?:good|great|nice) (?:day|one|evening)\b`,
];

/** D1 formality: typographic and connective markers of written, formal prose. */
export const FORMALITY = [
  "\u2014", // em dash
  "\u2013", // en dash
  ";",
  String.raw`\b(?:furthermore|moreover|additionally|therefore|thus|hence|consequently|accordingly|subsequently)\b`,
  String.raw`\b(?:however|nevertheless|nonetheless|notwithstanding|whereas|henceforth|hereby)\b`,
  String.raw`\bin addition\b`, String.raw`\b(?:regarding|concerning|pertaining to)\b`,
  String.raw`\b(?:with|in) (?:regard|regards|respect|reference) to\b`,
  String.raw`\b(?:indeed|as such|per se)\b`,
  String.raw`\bi would like to (?:inquire|request|enquire)\b`,
];

/** D1 acknowledgement: the WHOLE (stripped, lower-cased) turn is one of these, then optionally . ! , */
export const ACKNOWLEDGMENTS = [
  "ok", "okay", "k", "kk", "okey", "oki", "okie", "sure", "got it", "gotcha", "alright", "all right",
  "yes", "yeah", "yea", "yep", "yup", "ya", "yes please", "no", "nope", "nah", "no thanks", "no thank you",
  "right", "fine", "great", "cool", "awesome", "nice", "good", "perfect", "excellent",
  "thanks", "thank you", "thx", "ty", "cheers", "understood", "noted", "i see", "i understand",
  "copy", "copy that", "roger", "roger that", "ack", "acknowledged", "will do", "sounds good",
  "sounds great", "works for me", "makes sense", "correct", "that's right", "thats right", "exactly",
];

/** D1 identity confusion: the user talks like the agent. */
export const IDENTITY_CONFUSION = [
  String.raw`\bhow (?:may|can|could) i (?:help|assist)\b`,
  String.raw`\blet me (?:check|look into|look that up|assist|pull up|find|locate|verify|confirm)\b`,
  String.raw`\bi(?:'ll| will) (?:look|check|verify|pull|find|look into) (?:that|this|it) (?:up )?for you\b`,
  String.raw`\bi apologi[sz]e for (?:the|any) (?:inconvenience|confusion|delay|trouble|wait)\b`,
  String.raw`\bthank you for (?:your patience|your time|contacting|reaching out|your inquiry|holding|choosing)\b`,
  String.raw`\bis there anything (?:else|further) i can (?:help|assist|do)\b`,
  String.raw`\bi(?:'d| would) be (?:happy|glad|delighted) to\b`,
  String.raw`\bplease (?:hold|wait|allow|give) (?:a moment|one moment|me a moment|while i)\b`,
  String.raw`\bone moment,? please\b`, String.raw`\bbear with me\b`,
  String.raw`\bour records (?:show|indicate|reflect)\b`,
  String.raw`\bfor (?:security|verification) (?:purposes|reasons)\b`,
  String.raw`\bper (?:our|company|the company|store) policy\b`,
  String.raw`\brest assured\b`, String.raw`\bon behalf of\b`,
  String.raw`\bi(?:'ve| have) (?:gone ahead and|processed|submitted|escalated)\b`,
  String.raw`\byour (?:request|reservation|order) has been (?:processed|updated|cancel+ed)\b`,
];

/** D3 uncertainty: hedges and not-knowing. */
export const UNCERTAINTY = [
  String.raw`\b(?:maybe|perhaps|possibly|probably|unsure|apparently|presumably|supposedly|iirc|idk|dunno)\b`,
  String.raw`\bnot (?:sure|certain)\b`,
  String.raw`\bi (?:think|guess|suppose|believe|reckon)\b`,
  String.raw`\b(?:don't|dont|do not) (?:know|remember|recall)\b`, String.raw`\bno idea\b`,
  String.raw`\b(?:kinda|kind of|sort of|sorta)\b`,
  String.raw`\b(?:might|could|may) be\b`,
  String.raw`\bif i (?:recall|remember) (?:correctly|right)\b`,
  String.raw`\bhm+\b`, String.raw`\bum+\b`, String.raw`\buh+\b`,
];

/** D3 certainty: emphatic confidence. */
export const CERTAINTY = [
  String.raw`\b(?:definitely|absolutely|certainly|surely|undoubtedly|positively|obviously|clearly|exactly|precisely|guaranteed)\b`,
  String.raw`\bfor (?:sure|certain)\b`, String.raw`\b(?:no|without a) doubt\b`,
  String.raw`\bi(?:'m| am|m) (?:sure|certain|positive|confident)\b`,
  String.raw`\b100 ?(?:%|percent)`, String.raw`\bhundred percent\b`,
  String.raw`\bof course\b`,
];

/** D3 pushback: the user contests the agent or repeats themself pointedly. */
export const PUSHBACK = [
  String.raw`\bare you (?:sure|certain|serious|kidding)\b`,
  String.raw`\bi (?:already|just) (?:told|said|mentioned|explained|gave|provided)\b`,
  String.raw`\byou (?:already )?asked (?:me )?(?:that|this|already)\b`,
  String.raw`\bthat(?:'s| is|s) not (?:right|correct|true|what i)\b`,
  String.raw`\bthat(?:'s| is|s) (?:wrong|incorrect)\b`,
  String.raw`\bthat (?:doesn't|doesnt|does not) (?:sound|seem|look) right\b`,
  String.raw`\bi disagree\b`, String.raw`\bi (?:don't|dont) (?:think|believe) (?:that's|thats|so)\b`,
  String.raw`\b(?:as|like) i (?:said|mentioned|explained|told you)\b`,
  String.raw`\bhow many times\b`, String.raw`\bdidn'?t i (?:just )?(?:say|tell)\b`,
  String.raw`\bwe (?:already )?(?:discussed|covered|went over) (?:this|that)\b`,
  String.raw`\byou(?:'re| are|re) not listening\b`, String.raw`\bscroll up\b`,
  String.raw`\bread (?:what i (?:wrote|said|typed)|my (?:message|messages))\b`,
  String.raw`\bthat(?:'s| is|s) not what i (?:asked|said|want)\b`,
];

/** D3 clarification questions: the user did not understand the agent. */
export const CLARIFICATION = [
  String.raw`\bwhat do (?:you|u) mean\b`, String.raw`\bwhat does (?:that|this) mean\b`,
  String.raw`\b(?:can|could) (?:you|u) (?:clarify|explain|elaborate|rephrase|repeat)\b`,
  String.raw`\bi (?:don't|dont|do not) (?:understand|follow|get it)\b`,
  String.raw`\bi(?:'m| am|m) (?:confused|lost|not sure i understand)\b`,
  String.raw`\bwhat (?:exactly|specifically)\b`, String.raw`\bbe more specific\b`,
  String.raw`\bwhich (?:one|ones|do you mean)\b`,
  String.raw`\bhuh\b`, String.raw`\bwhat\?*$`, String.raw`\bcome again\b`, String.raw`\bsay that again\b`,
  String.raw`\bwait,? what\b`, String.raw`\bmeaning what\b`,
];

/** D3 information seeking: the user asks for facts, status or options. */
export const INFO_SEEKING = [
  String.raw`\bwhat(?:'s| is|s) the (?:status|update|eta|situation)\b`,
  String.raw`\bany (?:update|updates|news|info|information)\b`,
  String.raw`\b(?:can|could) (?:you|u) (?:check|confirm|verify|look up|tell me|let me know|show me|send me)\b`,
  String.raw`\bis (?:there a way|it possible) to\b`,
  String.raw`\bhow (?:do|can|could|would|should|long|much) (?:i|it|we)\b`, String.raw`\bhow much\b`,
  String.raw`\bwhere (?:do|can|should|is) (?:i|my)\b`,
  String.raw`\bwhen (?:will|does|is|can|would)\b`, String.raw`\bwhy (?:is|does|do|are|am|was|did|can't|cant)\b`,
  String.raw`\bwhat (?:are|were|is) (?:the|my)\b`, String.raw`\bwhat about\b`,
  String.raw`\bdo (?:you|u) (?:know|have)\b`, String.raw`\bi need to know\b`,
  String.raw`\b(?:is|are) there any\b`, String.raw`\bwhat (?:are|is) my options\b`,
];

/** D4 emotional expression: frustration, worry, exasperation. */
export const EMOTIONAL = [
  String.raw`\bfrustrat(?:ed|ing|ion)\b`, String.raw`\b(?:annoyed|annoying|irritated|irritating|fed up)\b`,
  String.raw`\b(?:angry|mad|furious|pissed|upset|stressed|worried|anxious|exhausted)\b`,
  String.raw`\bdisappoint(?:ed|ing|ment)\b`, String.raw`\b(?:tired|sick) of\b`,
  String.raw`\b(?:ugh+|argh+|grr+|omg|wtf|ffs|smh)\b`, String.raw`\bcome on\b`,
  String.raw`\b(?:ridiculous|absurd|insane|outrageous|unbelievable|disgraceful)\b`,
  String.raw`\bnever ?mind\b`, String.raw`\bforget (?:it|that|this)\b`, String.raw`\bseriously\b`,
  String.raw`\bthis is (?:taking|getting) (?:so |too |way too )?(?:long|forever|ridiculous)\b`,
];

/** D4 accusation: blaming the agent or the company. */
export const ACCUSATORY = [
  String.raw`\b(?:useless|unacceptable|incompetent|unprofessional|pathetic|appalling|shameful)\b`,
  String.raw`\b(?:scam|scammed|fraud|fraudulent|rip-?off|ripoff|ripped me off)\b`,
  String.raw`\b(?:lying|liar|lied|dishonest|cheated|cheating)\b`,
  String.raw`\b(?:worst|terrible|horrible|awful|horrendous)\b`,
  String.raw`\b(?:a|total|complete) joke\b`, String.raw`\bwaste of (?:my )?(?:time|money)\b`,
  String.raw`\byou(?:'re| are|re) not (?:helping|helpful)\b`, String.raw`\bdo your job\b`,
  String.raw`\byou people\b`,
];

/** D4 strategy pivots: the user changes course. */
export const STRATEGY_PIVOT = [
  String.raw`\b(?:instead|alternatively)\b`, String.raw`\brather than\b`, String.raw`\bin that case\b`,
  String.raw`\bon second thought\b`, String.raw`\bactually\b`,
  String.raw`\blet(?:'s| us|s) (?:try|do|just)\b`, String.raw`\blet me try\b`,
  String.raw`\bhow about\b`, String.raw`\bwhat if (?:we|i|you)\b`, String.raw`\bor (?:maybe|perhaps|else)\b`,
  String.raw`\banother (?:option|way|approach|idea)\b`, String.raw`\bsomething (?:else|different)\b`,
  String.raw`\bchange (?:of|my) plans?\b`, String.raw`\bscratch that\b`, String.raw`\bforget that\b`,
  String.raw`\bnever ?mind,? (?:just|let's|lets|i'll|ill)\b`,
];

/** One alternation per list: "at least one cue matches" is the same as "the alternation matches". */
const compileAny = (cues: readonly string[]) => pyRegexPair(cues.map((c) => `(?:${c})`).join("|"));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Every rate feature's cue list, by feature name. */
export const CUE_LISTS = {
  politeness_rate: POLITENESS,
  formality_rate: FORMALITY,
  identity_confusion_rate: IDENTITY_CONFUSION,
  uncertainty_rate: UNCERTAINTY,
  certainty_rate: CERTAINTY,
  pushback_rate: PUSHBACK,
  clarification_question_rate: CLARIFICATION,
  info_seeking_rate: INFO_SEEKING,
  emotional_expression_rate: EMOTIONAL,
  accusatory_rate: ACCUSATORY,
  strategy_pivot_rate: STRATEGY_PIVOT,
} as const;

export const CUE_REGEX = Object.fromEntries(Object.entries(CUE_LISTS).map(([k, v]) => [k, compileAny(v)])) as Record<keyof typeof CUE_LISTS, PyRegex>;

/** Any cue of any list: a turn that fails this fails every list, so the per-list tests can be skipped. */
export const ANY_CUE_REGEX = compileAny(Object.values(CUE_LISTS).flat());

/** Whole-turn acknowledgement (applied to the stripped, lower-cased turn). */
export const ACK_REGEX = new RegExp(`^(?:${ACKNOWLEDGMENTS.map(escape).join("|")})[.!,]*$`, "u");

/**
 * D2 identifiers, on the ORIGINAL casing, one alternation tried left to right in this order:
 * `#` + ≥5 of [A-Z0-9]; ≥6 of [A-Z0-9]; a whole-word run of ≥7 digits; an e-mail-like token.
 */
export const IDENTIFIER_REGEX = pyRegexPair(String.raw`#[A-Z0-9]{5,}|[A-Z0-9]{6,}|\b\d{7,}\b|\S+@\S+\.\S+`, "g");

/** Tokens: `\b\w+\b` on lower-cased text, i.e. maximal runs of Unicode word characters. */
export const TOKEN_REGEX = pyRegexPair(String.raw`\b\w+\b`, "g");
