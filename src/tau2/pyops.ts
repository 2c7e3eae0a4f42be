/** Python operators over Py values, with CPython's error messages (see py.ts for the value model). */
import { attributeError, compareStr, isDict, isFloat, PyFloat, typeError, typeName, type Py, type PyDict } from "./py.ts";

const isNum = (v: Py): v is number | bigint | boolean | PyFloat => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || v instanceof PyFloat;
const isInt = (v: Py): v is number | bigint | boolean => typeof v === "number" || typeof v === "bigint" || typeof v === "boolean";
const num = (v: number | bigint | boolean | PyFloat): number => (v instanceof PyFloat ? v.v : Number(v));
/** An exact int result: a number while it is safe, else a bigint (Python ints do not overflow). */
const intOf = (b: bigint): number | bigint => (b >= -(2n ** 53n) && b <= 2n ** 53n ? Number(b) : b);

/** Python `==`. */
export function eq(a: Py, b: Py): boolean {
  if (isInt(a) && isInt(b) && (typeof a === "bigint" || typeof b === "bigint")) return BigInt(a) === BigInt(b);
  if (isNum(a) && isNum(b)) return num(a) === num(b);
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => eq(x, b[i]!));
  }
  if (isNum(a) || isNum(b)) return false;
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, x] of a) if (!b.has(k) || !eq(x, b.get(k)!)) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as PyDict);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b as PyDict, k) && eq((a as PyDict)[k]!, (b as PyDict)[k]!));
}

function binop(op: string, a: Py, b: Py, f: (x: number, y: number) => number, intResult: boolean, big?: (x: bigint, y: bigint) => bigint): Py {
  if (big && isInt(a) && isInt(b)) {
    const r = f(Number(a), Number(b));
    return typeof a === "bigint" || typeof b === "bigint" || !Number.isSafeInteger(r) ? intOf(big(BigInt(a), BigInt(b))) : r;
  }
  if (isNum(a) && isNum(b)) {
    const r = f(num(a), num(b));
    return intResult && !isFloat(a) && !isFloat(b) ? r : new PyFloat(r);
  }
  throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

export const add = (a: Py, b: Py, op = "+"): Py => {
  if (typeof a === "string" && typeof b === "string") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === "string" && isNum(b)) throw typeError(`can only concatenate str (not "${typeName(b)}") to str`);
  if (Array.isArray(a) && !Array.isArray(b) && op === "+") throw typeError(`can only concatenate list (not "${typeName(b)}") to list`);
  return binop(op, a, b, (x, y) => x + y, true, (x, y) => x + y);
};
export const sub = (a: Py, b: Py, op = "-"): Py => binop(op, a, b, (x, y) => x - y, true, (x, y) => x - y);

export function mul(a: Py, b: Py, op = "*"): Py {
  // Sequence repetition: 50 * "2" is "2222…", 50 * [1] is a list.
  const seqTimes = (seq: string | Py[], n: number | boolean): Py => {
    const k = Math.max(0, Number(n));
    if (typeof seq === "string") return seq.repeat(k);
    const out: Py[] = [];
    for (let i = 0; i < k; i++) out.push(...seq);
    return out;
  };
  if ((typeof a === "number" || typeof a === "boolean") && (typeof b === "string" || Array.isArray(b))) return seqTimes(b, a);
  if ((typeof b === "number" || typeof b === "boolean") && (typeof a === "string" || Array.isArray(a))) return seqTimes(a, b);
  if ((typeof a === "string" || Array.isArray(a)) && b instanceof PyFloat) throw typeError(`can't multiply sequence by non-int of type 'float'`);
  if ((typeof b === "string" || Array.isArray(b)) && a instanceof PyFloat) throw typeError(`can't multiply sequence by non-int of type 'float'`);
  if ((typeof a === "string" || Array.isArray(a)) && !isNum(b)) throw typeError(`can't multiply sequence by non-int of type '${typeName(b)}'`);
  if ((typeof b === "string" || Array.isArray(b)) && !isNum(a)) throw typeError(`can't multiply sequence by non-int of type '${typeName(a)}'`);
  return binop(op, a, b, (x, y) => x * y, true, (x, y) => x * y);
}

export function neg(a: Py): Py {
  if (typeof a === "bigint") return intOf(-a);
  if (typeof a === "number" || typeof a === "boolean") return -Number(a) || 0;
  if (a instanceof PyFloat) return new PyFloat(-a.v);
  throw typeError(`bad operand type for unary -: '${typeName(a)}'`);
}

/** Python `a < b` (and friends) for the types tools compare. */
export function lt(a: Py, b: Py, op: "<" | ">" | ">=" | "<=" = "<"): boolean {
  if (isNum(a) && isNum(b)) {
    const x = num(a);
    const y = num(b);
    return op === "<" ? x < y : op === ">" ? x > y : op === ">=" ? x >= y : x <= y;
  }
  if (typeof a === "string" && typeof b === "string") {
    const c = compareStr(a, b);
    return op === "<" ? c < 0 : op === ">" ? c > 0 : op === ">=" ? c >= 0 : c <= 0;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!eq(a[i]!, b[i]!)) return lt(a[i]!, b[i]!, op);
    return lt(a.length, b.length, op);
  }
  throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function max(a: Py, b: Py): Py {
  // max(a, b) keeps a unless b > a.
  return lt(b, a, ">") ? b : a;
}

export function abs(a: Py): Py {
  if (typeof a === "bigint") return intOf(a < 0n ? -a : a);
  if (typeof a === "number" || typeof a === "boolean") return Math.abs(Number(a));
  if (a instanceof PyFloat) return new PyFloat(Math.abs(a.v));
  throw typeError(`bad operand type for abs(): '${typeName(a)}'`);
}

/** `for x in v`: list items, str characters, dict keys. */
export function iter(v: Py): Py[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return Array.from(v);
  if (isDict(v)) return [...v.keys()];
  throw typeError(`'${typeName(v)}' object is not iterable`);
}

export function len(v: Py): number {
  if (Array.isArray(v)) return v.length;
  if (typeof v === "string") return Array.from(v).length;
  if (v instanceof Map) return v.size;
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

/** `container.count(x)` for list (==) and str (non-overlapping substrings). */
export function count(container: Py, x: Py): number {
  if (Array.isArray(container)) return container.filter((y) => eq(y, x)).length;
  if (typeof container === "string") {
    if (typeof x !== "string") throw typeError(`must be str, not ${typeName(x)}`);
    if (x === "") return Array.from(container).length + 1;
    return container.split(x).length - 1;
  }
  throw attributeError(container, "count");
}

/** `x in container` for dict keys, lists and substrings. */
export function contains(container: Py, x: Py): boolean {
  if (isDict(container)) {
    hashable(x);
    return typeof x === "string" && container.has(x);
  }
  if (Array.isArray(container)) return container.some((y) => eq(y, x));
  if (typeof container === "string") {
    if (typeof x !== "string") throw typeError(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

export function hashable(x: Py): void {
  if (Array.isArray(x) || isDict(x)) throw typeError(`unhashable type: '${typeName(x)}'`);
}

/** `s.lower()`. */
export function lower(s: Py): string {
  if (typeof s !== "string") throw attributeError(s, "lower");
  return s.toLowerCase();
}

/**
 * `sorted(iterable)`. CPython sorts short lists by binary insertion after detecting the first run; this
 * follows the same comparisons so a mixed-type list fails with the same pair of type names.
 */
export function sorted(v: Py): Py[] {
  const a = [...iter(v)];
  const n = a.length;
  if (n < 2) return a;
  // count_run
  let runEnd = 1;
  if (lt(a[1]!, a[0]!)) {
    runEnd = 2;
    while (runEnd < n && lt(a[runEnd]!, a[runEnd - 1]!)) runEnd++;
    a.splice(0, runEnd, ...a.slice(0, runEnd).reverse());
  } else {
    runEnd = 2;
    while (runEnd < n && !lt(a[runEnd]!, a[runEnd - 1]!)) runEnd++;
  }
  for (let start = runEnd; start < n; start++) {
    const pivot = a[start]!;
    let l = 0;
    let r = start;
    while (l < r) {
      const p = (l + r) >> 1;
      if (lt(pivot, a[p]!)) r = p;
      else l = p + 1;
    }
    a.splice(start, 1);
    a.splice(l, 0, pivot);
  }
  return a;
}

/** Python `round(x, 2)` on a float: correctly rounded, ties to even on the exact binary value. */
export function round2(x: Py): Py {
  if (typeof x === "bigint") return x;
  if (typeof x === "number" || typeof x === "boolean") return Number(x);
  if (!(x instanceof PyFloat)) throw typeError(`type ${typeName(x)} doesn't define __round__ method`);
  return new PyFloat(roundFloat(x.v, 2));
}

export function roundFloat(v: number, nd: number): number {
  if (!Number.isFinite(v) || v === 0 || Math.abs(v) >= 2 ** 52) return v;
  const scaled = v * 10 ** nd;
  // Exact ties are only possible when v*8 is an integer (for nd = 2); toFixed rounds them away from zero.
  const fixed = Number(v.toFixed(nd));
  if (nd === 2 && Number.isInteger(v * 8) && Math.abs(scaled - Math.trunc(scaled)) === 0.5) {
    const lo = Math.floor(scaled);
    const even = lo % 2 === 0 ? lo : lo + 1;
    return even / 100;
  }
  return fixed;
}

export function sum(values: Py[]): Py {
  let total: Py = 0;
  for (const v of values) total = add(total, v);
  return total;
}
