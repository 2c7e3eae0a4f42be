/**
 * Identifier extraction for the goal-fidelity check: the concrete facts a simulated user could invent
 * (ids, e-mails, amounts, dates, passenger counts). Each is normalised so that "#W5199551" and
 * "w5199551", "$8,276.23" and "8276.23", "May 19th" and "2024-05-19" compare equal.
 */
export type IdentifierKind =
  | "email"
  | "user_id"
  | "payment_id"
  | "order_id"
  | "flight_number"
  | "reservation_id"
  | "item_id"
  | "amount"
  | "number"
  | "date"
  | "passenger_count";

export interface Identifier {
  kind: IdentifierKind;
  /** Canonical form used for comparison. */
  key: string;
  /** The text as written. */
  text: string;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_ALT = MONTHS.map((m) => `${m}|${m.slice(0, 3)}\\.?`).join("|");
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** Tried in order; a later pattern never re-reads text an earlier one consumed. */
const PATTERNS: { kind: IdentifierKind; re: RegExp; key: (m: RegExpExecArray) => string }[] = [
  { kind: "email", re: /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi, key: (m) => m[0].toLowerCase() },
  { kind: "payment_id", re: /\b(?:gift_card|credit_card|paypal|certificate|bank_account)_\d+\b/gi, key: (m) => m[0].toLowerCase() },
  { kind: "user_id", re: /\b[a-z]+(?:_[a-z]+)+_\d{3,5}\b/gi, key: (m) => m[0].toLowerCase() },
  { kind: "order_id", re: /#?\bW\d{7}\b/gi, key: (m) => m[0].replace("#", "").toUpperCase() },
  { kind: "flight_number", re: /\bHAT\d{3}\b/gi, key: (m) => m[0].toUpperCase() },
  // Reservation codes are six upper-case letters/digits with at least one digit (e.g. GV1N64).
  { kind: "reservation_id", re: /\b(?=[A-Z0-9]{0,5}\d)(?=[A-Z0-9]{0,5}[A-Z])[A-Z0-9]{6}\b/gi, key: (m) => m[0].toUpperCase() },
  { kind: "item_id", re: /\b\d{10}\b/g, key: (m) => m[0] },
  {
    kind: "date",
    re: new RegExp(`\\b(?:(${MONTH_ALT})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_ALT})\\b|(\\d{4})-(\\d{2})-(\\d{2})\\b)`, "gi"),
    key: (m) => {
      if (m[7]) return `${m[6]}-${m[7]}`;
      const month = monthIndex((m[1] ?? m[4])!);
      const day = Number(m[2] ?? m[3]);
      return `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    },
  },
  {
    kind: "passenger_count",
    re: /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:passengers?|people|persons|travell?ers|adults|tickets|seats)\b/gi,
    key: (m) => String(NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1])),
  },
  { kind: "amount", re: /\$\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*\.\d{1,2}\b|\b\d[\d,]*\s?(?:dollars|usd|bucks)\b/gi, key: (m) => numeric(m[0]) },
  // Any other run of 4+ digits (zip codes, card endings, amounts written bare).
  { kind: "number", re: /\b\d{4,}\b/g, key: (m) => numeric(m[0]) },
];

function monthIndex(name: string): number {
  const short = name.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(short)) + 1;
}

function numeric(text: string): string {
  const n = Number(text.replace(/[^\d.]/g, "").replace(/\.$/, ""));
  return Number.isFinite(n) ? String(Math.round(n * 100) / 100) : text;
}

/** Every identifier in `text`, left to right, without overlaps. */
export function extractIdentifiers(text: string): Identifier[] {
  const taken: [number, number][] = [];
  const found: (Identifier & { at: number })[] = [];
  for (const { kind, re, key } of PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      found.push({ kind, key: key(m), text: m[0], at: start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...id }) => id);
}

/** Canonical keys, with every number also known in its bare numeric form (amounts ≈ numbers). */
export function knownKeys(text: string): Set<string> {
  const keys = new Set<string>();
  for (const id of extractIdentifiers(text)) {
    keys.add(`${id.kind}:${id.key}`);
    if (id.kind === "amount" || id.kind === "number" || id.kind === "item_id") keys.add(`num:${numeric(id.key)}`);
    if (id.kind === "passenger_count") keys.add(`num:${id.key}`);
  }
  return keys;
}

export function isKnown(id: Identifier, known: Set<string>): boolean {
  if (known.has(`${id.kind}:${id.key}`)) return true;
  if (id.kind === "amount" || id.kind === "number") return known.has(`num:${numeric(id.key)}`);
  return false;
}
