/**
 * The fingerprint is defined with Python `re` semantics on str (Unicode): `\w` is any letter or digit of
 * any script or `_`, `\b` is a boundary between such a character and anything else, `\d` any decimal
 * digit, `\s` Python's whitespace, and `$` matches at the end or before a final newline. JavaScript's
 * versions of these are ASCII-only (or differ on \s and $), so cue sources are written in that notation
 * and translated here; every regex the fingerprint runs goes through `pyRegex`.
 */
export const WORD = "[\\p{L}\\p{N}_]";
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
/** str.isspace(): Zs, the ASCII controls \t\n\v\f\r, \x1c-\x1f, \x85, and the line/paragraph separators. */
export const PY_SPACE_CLASS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/** Python-re escapes (outside character classes) and their JavaScript equivalents on any text. */
const UNICODE_ESCAPES: Readonly<Record<string, string>> = {
  b: BOUNDARY,
  w: WORD,
  W: "[^\\p{L}\\p{N}_]",
  d: "\\p{Nd}",
  s: `[${PY_SPACE_CLASS}]`,
  S: `[^${PY_SPACE_CLASS}]`,
};

/**
 * On pure-ASCII text Python's Unicode classes coincide with JavaScript's native ASCII ones (\w, \b, \d),
 * which the regex JIT runs much faster than look-around emulations; \s and $ still need translating.
 */
const ASCII_ESCAPES: Readonly<Record<string, string>> = { s: "[\\t\\n\\v\\f\\r\\x1c-\\x1f ]", S: "[^\\t\\n\\v\\f\\r\\x1c-\\x1f ]" };

function translate(source: string, escapes: Readonly<Record<string, string>>): string {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\" && i + 1 < source.length) {
      const next = source[++i]!;
      out += escapes[next] ?? `\\${next}`;
    } else if (ch === "$") out += "(?=\\n?$)";
    else out += ch;
  }
  return out;
}

/** Translate a source in Python-re notation (outside character classes) to an equivalent JS source. */
export const pyToJs = (source: string): string => translate(source, UNICODE_ESCAPES);
/** The same for text known to be ASCII. */
export const pyToJsAscii = (source: string): string => translate(source, ASCII_ESCAPES);

export function pyRegex(source: string, flags = ""): RegExp {
  return new RegExp(pyToJs(source), `u${flags}`);
}

/** A cue compiled twice: the exact Unicode form, and the fast form valid only on ASCII text. */
export interface PyRegex {
  ascii: RegExp;
  unicode: RegExp;
}

export function pyRegexPair(source: string, flags = ""): PyRegex {
  return { ascii: new RegExp(pyToJsAscii(source), flags), unicode: pyRegex(source, flags) };
}

const ASCII = /^[\x00-\x7f]*$/;
export const isAscii = (text: string): boolean => ASCII.test(text);
export const pick = (re: PyRegex, text: string): RegExp => (isAscii(text) ? re.ascii : re.unicode);

/** Python's str.strip(): remove leading and trailing Python whitespace. */
const STRIP = new RegExp(`^[${PY_SPACE_CLASS}]+|[${PY_SPACE_CLASS}]+$`, "gu");
export function pyStrip(text: string): string {
  return text.replace(STRIP, "");
}
