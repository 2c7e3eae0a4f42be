/**
 * The fingerprint is defined with Python `re` semantics on str (Unicode): `\w` is any letter or digit of
 * any script or `_`, `\b` is a boundary between such a character and anything else, `\d` any decimal
 * digit, `\s` Python's whitespace, and `$` matches at the end or before a final newline. JavaScript's
 * versions of these are ASCII-only (or differ on \s and $), so cue sources are written in that notation
 * and translated here; every regex the fingerprint runs goes through `pyRegex`.
 */
const WORD = "[\\p{L}\\p{N}_]";
const WORD_CHARS = "\\p{L}\\p{N}_";
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
/** str.isspace(): Zs, the ASCII controls \t\n\v\f\r, \x1c-\x1f, \x85, and the line/paragraph separators. */
const PY_SPACE_CLASS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const ASCII_SPACE_CLASS = "\\t\\n\\v\\f\\r\\x1c-\\x1f ";

interface Escapes {
  /** Outside a character class. */
  outside: Readonly<Record<string, string>>;
  /** Inside one: only the positive classes can be spliced into a JavaScript class. */
  inside: Readonly<Record<string, string>>;
}

/** Python-re escapes and their JavaScript equivalents on any text. */
const UNICODE_ESCAPES: Escapes = {
  outside: { b: BOUNDARY, w: WORD, W: `[^${WORD_CHARS}]`, d: "\\p{Nd}", s: `[${PY_SPACE_CLASS}]`, S: `[^${PY_SPACE_CLASS}]` },
  inside: { w: WORD_CHARS, d: "\\p{Nd}", s: PY_SPACE_CLASS },
};

/**
 * On pure-ASCII text Python's Unicode classes coincide with JavaScript's native ASCII ones (\w, \b, \d),
 * which the regex JIT runs much faster than look-around emulations; \s and $ still need translating.
 */
const ASCII_ESCAPES: Escapes = {
  outside: { s: `[${ASCII_SPACE_CLASS}]`, S: `[^${ASCII_SPACE_CLASS}]` },
  inside: { s: ASCII_SPACE_CLASS },
};

/** Characters JavaScript lets a backslash escape in a `u` regex (its SyntaxCharacters and `/`). */
const JS_ESCAPABLE = new Set("^$\\.*+?()[]{}|/");

function translate(source: string, escapes: Escapes): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\" && i + 1 < source.length) {
      const next = source[++i]!;
      const mapped = (inClass ? escapes.inside : escapes.outside)[next];
      if (mapped !== undefined) out += mapped;
      else if (inClass && "WSDb".includes(next)) throw new Error(`pyre: \\${next} inside a character class is not supported: ${source}`);
      else if (/[A-Za-z0-9]/.test(next) || JS_ESCAPABLE.has(next)) out += `\\${next}`;
      // Python lets any punctuation be escaped (`\!`, `\,`, `\-`); a `u` regex rejects most of those escapes.
      else out += `\\u${next.charCodeAt(0).toString(16).padStart(4, "0")}`;
    } else if (inClass) {
      out += ch;
      if (ch === "]") inClass = false;
    } else if (ch === "[") {
      out += ch;
      inClass = true;
      // A `]` (or `^]`) right after the opening bracket is a literal in Python.
      if (source[i + 1] === "^") out += source[++i];
      if (source[i + 1] === "]") out += "\\]", i++;
    } else if (ch === "$") out += "(?=\\n?$)";
    else if (ch === ".") out += "[^\\n]"; // Python's `.` stops only at \n; JavaScript's also at \r, \u2028, \u2029
    else out += ch;
  }
  return out;
}

/** Translate a source in Python-re notation to an equivalent JS source. */
const pyToJs = (source: string): string => translate(source, UNICODE_ESCAPES);
/** The same for text known to be ASCII. */
const pyToJsAscii = (source: string): string => translate(source, ASCII_ESCAPES);

function pyRegex(source: string, flags = ""): RegExp {
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

/** re.fullmatch: the JS anchors wrap the translated source, so an inner Python `$` keeps its meaning. */
export function pyFullmatchPair(source: string): PyRegex {
  return { ascii: new RegExp(`^(?:${pyToJsAscii(source)})$`), unicode: new RegExp(`^(?:${pyToJs(source)})$`, "u") };
}

const ASCII = /^[\x00-\x7f]*$/;
export const isAscii = (text: string): boolean => ASCII.test(text);
export const pick = (re: PyRegex, text: string): RegExp => (isAscii(text) ? re.ascii : re.unicode);

/** Python's str.strip(): remove leading and trailing Python whitespace. */
const STRIP = new RegExp(`^[${PY_SPACE_CLASS}]+|[${PY_SPACE_CLASS}]+$`, "gu");
export function pyStrip(text: string): string {
  return text.replace(STRIP, "");
}
