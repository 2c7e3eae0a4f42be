/**
 * A small model of the Python values τ² tools see and produce, so the TS tools can reproduce upstream's
 * results byte for byte: upstream calls tool methods with the LLM's raw JSON arguments (no validation), so
 * wrong-typed arguments flow through Python operators and end up in error strings and in the DB.
 *
 * Representation: None = null, bool = boolean, int = number (always integral), float = PyFloat (boxed so
 * `1.0` stays a float), str = string, list = array, dict = Map (JS objects would reorder keys such as
 * "1270145486"), pydantic model instance = plain object with its fields in declaration order.
 */

export class PyFloat {
  constructor(readonly v: number) {}
}

/** `bigint` only for ints beyond ±2^53 (Python ints are unbounded). */
export type Py = null | boolean | number | bigint | PyFloat | string | Py[] | PyMap | PyDict;
/** A Python dict. */
export type PyMap = Map<string, Py>;
/** A pydantic model instance (a record): field name → value, in field order. */
export interface PyDict {
  [field: string]: Py;
}

/** A Python exception; `message` is what `str(exc)` prints (upstream sends `"Error: " + str(exc)`). */
export class PyException extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
  }
}
export const valueError = (m: string) => new PyException("ValueError", m);
export const typeError = (m: string) => new PyException("TypeError", m);
export const attributeError = (v: Py, attr: string) => new PyException("AttributeError", `'${typeName(v)}' object has no attribute '${attr}'`);
export const keyError = (key: Py) => new PyException("KeyError", repr(key));

/** Objects built as pydantic model instances (so `isinstance(x, dict)` is false and type names match). */
const MODEL_NAMES = new WeakMap<object, string>();
export function asModel<T extends object>(obj: T, name: string): T {
  MODEL_NAMES.set(obj, name);
  return obj;
}

export const isFloat = (v: unknown): v is PyFloat => v instanceof PyFloat;
/** `isinstance(v, dict)` */
export const isDict = (v: unknown): v is PyMap => v instanceof Map;
/** A model instance (record). */
export const isModel = (v: unknown): v is PyDict => typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof Map);
/** `d[key]` on a dict known to hold the key. */
export const dget = (d: Py, key: string): Py => (d as PyMap).get(key)!;

export function typeName(v: Py): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number" || typeof v === "bigint") return "int";
  if (typeof v === "string") return "str";
  if (v instanceof PyFloat) return "float";
  if (Array.isArray(v)) return "list";
  if (v instanceof Map) return "dict";
  return MODEL_NAMES.get(v) ?? "dict";
}

// ---------- str / repr ----------

export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // toExponential() with no argument gives the shortest round-trip digits, like Python's repr.
  const [mant, expStr] = x.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      const frac = digits.slice(exp + 1);
      out = `${intPart}.${frac || "0"}`;
    } else {
      out = `0.${"0".repeat(-exp - 1)}${digits}`;
    }
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return neg ? `-${out}` : out;
}

/** Characters Python's `str.isprintable()` rejects (other than space): repr escapes them. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && NON_PRINTABLE.test(ch)) {
      out += c < 0x100 ? `\\x${c.toString(16).padStart(2, "0")}` : c < 0x10000 ? `\\u${c.toString(16).padStart(4, "0")}` : `\\U${c.toString(16).padStart(8, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

export function repr(v: Py): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return strRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (Array.isArray(v)) return `[${v.map(repr).join(", ")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${strRepr(k)}: ${repr(x)}`).join(", ")}}`;
  const name = MODEL_NAMES.get(v);
  if (name) return `${name}(${Object.entries(v).map(([k, x]) => `${k}=${repr(x)}`).join(", ")})`;
  return `{${Object.entries(v).map(([k, x]) => `${strRepr(k)}: ${repr(x)}`).join(", ")}}`;
}

/** Python `str(v)`, as used by f-strings. */
export const str = (v: Py): string => (typeof v === "string" ? v : repr(v));

// ---------- json.dumps (default separators, ensure_ascii) ----------

function jsonStr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += "\\\\";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c === 0x09) out += "\\t";
    else if (c === 0x08) out += "\\b";
    else if (c === 0x0c) out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += s[i];
  }
  return out + '"';
}

/** Python `json.dumps(v, sort_keys=sortKeys)`: `", "` and `": "` separators, non-ASCII escaped. */
export function dumps(v: Py, sortKeys = false): string {
  if (v === null || v === undefined) return "null";
  if (v === true) return "true";
  if (v === false) return "false";
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "string") return jsonStr(v);
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.v)) return "NaN";
    if (!Number.isFinite(v.v)) return v.v > 0 ? "Infinity" : "-Infinity";
    return floatRepr(v.v);
  }
  if (Array.isArray(v)) return `[${v.map((x) => dumps(x, sortKeys)).join(", ")}]`;
  const entries: [string, Py][] = v instanceof Map ? [...v] : Object.entries(v);
  if (sortKeys) entries.sort((a, b) => compareStr(a[0], b[0]));
  return `{${entries.map(([k, x]) => `${jsonStr(k)}: ${dumps(x, sortKeys)}`).join(", ")}}`;
}

/** Code-point order, as Python compares str. */
export function compareStr(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

// ---------- JSON parsing that keeps 1.0 a float ----------

/** Parse JSON text into Py values (Python's json.loads: numbers with '.', 'e' become floats). */
export function loads(text: string): Py {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  const value = (): Py => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: PyMap = new Map();
      ws();
      if (text[i] === "}") return i++, obj;
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a string key");
        const k = string();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        obj.set(k, value());
        ws();
        const d = text[i++];
        if (d === "}") return obj;
        if (d !== ",") fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const arr: Py[] = [];
      ws();
      if (text[i] === "]") return i++, arr;
      for (;;) {
        arr.push(value());
        ws();
        const d = text[i++];
        if (d === "]") return arr;
        if (d !== ",") fail("expected ',' or ']'");
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) return (i += 4), true;
    if (text.startsWith("false", i)) return (i += 5), false;
    if (text.startsWith("null", i)) return (i += 4), null;
    if (text.startsWith("NaN", i)) return (i += 3), new PyFloat(NaN);
    if (text.startsWith("Infinity", i)) return (i += 8), new PyFloat(Infinity);
    if (text.startsWith("-Infinity", i)) return (i += 9), new PyFloat(-Infinity);
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("unexpected character");
    i += m[0].length;
    if (m[2] || m[3]) return new PyFloat(Number(m[0]));
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  };
  const string = (): string => {
    const start = i;
    // Fast path: JSON.parse the literal once its end is found.
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail("extra data");
  return v;
}

/** Py value → plain JSON-able JS (floats unboxed), for tests and for code that does not care. */
export function toJs(v: Py): unknown {
  if (v instanceof PyFloat) return v.v;
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, toJs(x)]));
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJs(x)]));
  return v;
}

/** Deep copy; PyFloat is immutable so it is shared. */
export function clone<T extends Py>(v: T): T {
  if (v === null || typeof v !== "object" || v instanceof PyFloat) return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v instanceof Map) {
    const m: PyMap = new Map();
    for (const [k, x] of v as PyMap) m.set(k, clone(x));
    return m as T;
  }
  const out: PyDict = {};
  for (const k in v) out[k] = clone((v as PyDict)[k]!);
  const name = MODEL_NAMES.get(v);
  if (name) MODEL_NAMES.set(out, name);
  return out as T;
}

function frozenMapWrite(): never {
  throw new TypeError("write to the frozen base DB: copy the record with Table.mut() first");
}

export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat) && !Object.isFrozen(v)) {
    // Object.freeze does not stop Map.set: shadow the mutators so a stray write to the base fails loudly.
    if (v instanceof Map) {
      for (const m of ["set", "delete", "clear"]) Object.defineProperty(v, m, { value: frozenMapWrite });
      for (const x of v.values()) deepFreeze(x);
    }
    Object.freeze(v);
    for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** Plain JS (e.g. from JSON.parse) → Py: integral numbers become int, others float. `1.0` cannot be told apart. */
export function fromJs(v: unknown): Py {
  if (typeof v === "number") return Number.isInteger(v) ? v : new PyFloat(v);
  if (Array.isArray(v)) return v.map(fromJs);
  if (v !== null && typeof v === "object") {
    if (v instanceof PyFloat || v instanceof Map) return v as Py;
    return new Map(Object.entries(v).map(([k, x]) => [k, fromJs(x)]));
  }
  return (v ?? null) as Py;
}
