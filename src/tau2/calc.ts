/**
 * The `calculate` tool: upstream checks the characters, then runs Python's `eval` and returns
 * `str(round(float(result), 2))`. Only digits, `+ - * / ( ) .` and spaces get through, so the language is
 * Python arithmetic on int (unbounded: BigInt here) and float, with `**` and `//`, and Python's error texts.
 */
import { floatRepr, PyException, typeError, typeName, valueError, type Py } from "./py.ts";
import { iter, roundFloat } from "./pyops.ts";

type Num = { int: bigint } | { float: number } | { tuple: number } | { complex: true } | { ellipsis: true };

const syntax = (msg: string, line = 1) => new PyException("SyntaxError", `${msg} (<string>, line ${line})`);
const zero = (msg: string) => new PyException("ZeroDivisionError", msg);
const overflow = (msg: string) => new PyException("OverflowError", msg);

function toFloat(n: bigint): number {
  const f = Number(n);
  if (!Number.isFinite(f)) throw overflow("int too large to convert to float");
  return f;
}

export function calculate(expression: Py): string {
  // `all(char in ALLOWED for char in expression)`
  for (const ch of iter(expression)) {
    if (typeof ch !== "string") throw typeError(`'in <string>' requires string as left operand, not ${typeName(ch)}`);
    if (!"0123456789+-*/(). ".includes(ch)) throw valueError("Invalid characters in expression");
  }
  if (typeof expression !== "string") throw typeError("eval() arg 1 must be a string, bytes or code object");
  const result = evaluate(expression);
  if (!("int" in result) && !("float" in result)) throw typeError(`float() argument must be a string or a real number, not '${tname(result)}'`);
  const f = "int" in result ? toFloat(result.int) : result.float;
  return floatRepr(roundFloat(f, 2));
}

type Tok = { t: "num"; text: string } | { t: "op"; text: string };

/**
 * Python's tokenizer over the allowed characters. Its errors (unmatched ')', leading zeros) win over any
 * parser error, as CPython re-tokenizes the whole source before reporting a syntax error.
 */
function tokenize(src: string): { toks: Tok[]; level: number } {
  const toks: Tok[] = [];
  const open: number[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " ") {
      i++;
      continue;
    }
    if (src.startsWith("...", i)) {
      toks.push({ t: "op", text: "..." });
      i += 3;
      continue;
    }
    const m = /^(\d+\.?\d*|\.\d+)/.exec(src.slice(i));
    if (m) {
      const text = m[0];
      if (/^0+[1-9]/.test(text) && !text.includes(".")) {
        throw syntax("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
      }
      toks.push({ t: "num", text });
      i += text.length;
      continue;
    }
    if (src.startsWith("**", i) || src.startsWith("//", i)) {
      toks.push({ t: "op", text: src.slice(i, i + 2) });
      i += 2;
      continue;
    }
    if (c === "(") open.push(toks.length);
    if (c === ")" && open.pop() === undefined) throw syntax("unmatched ')'");
    toks.push({ t: "op", text: c });
    i++;
  }
  return { toks, level: open.length };
}

class ParseFail {
  constructor(readonly at: number) {}
}
class Hint {}

/**
 * Recursive descent over Python's expression grammar restricted to these tokens. CPython parses twice on
 * error (the second pass adds "invalid_*" rules such as the forgotten-comma hint), and fetching the end
 * of input while a '(' is open raises "'(' was never closed" on the spot, so the furthest token either pass
 * looks at decides which SyntaxError wins. Evaluation is deferred (thunks) so syntax errors win over runtime ones.
 */
function parse(toks: Tok[], secondPass: boolean, level: number): () => Num {
  let p = 0;
  const peek = () => {
    if (p >= toks.length && level > 0) throw syntax("'(' was never closed");
    return toks[p];
  };
  const fail = (): never => {
    throw new ParseFail(p);
  };
  type Thunk = () => Num;
  const startsOperand = (t: Tok | undefined) => t !== undefined && (t.t === "num" || t.text === "(" || t.text === "...");
  const depthAfter = (i: number) => {
    let d = 0;
    for (let j = 0; j <= i; j++) d += toks[j]!.text === "(" ? 1 : toks[j]!.text === ")" ? -1 : 0;
    return d;
  };
  /** The `expression` rule: in the second pass, first try `invalid_expression` (a b with no comma). */
  const expression = (): Thunk => {
    if (secondPass) {
      const save = p;
      try {
        disjunction(false);
        if (startsOperand(peek())) {
          disjunction(false);
          if (depthAfter(p - 1) > 0) throw new Hint();
        }
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e;
      }
      p = save;
    }
    return disjunction(secondPass);
  };
  /** `left (op right)*` with PEG backtracking: an operator whose right operand fails is left unconsumed. */
  const binary = (inv: boolean, ops: readonly string[], next: (inv: boolean) => Thunk): Thunk => {
    let left = next(inv);
    while (ops.includes(peek()?.text ?? "")) {
      const save = p;
      const op = toks[p++]!.text;
      let r: Thunk;
      try {
        r = next(inv);
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e;
        p = save;
        break;
      }
      const l = left;
      left = () => arith(op, l(), r());
    }
    return left;
  };
  const disjunction = (inv: boolean): Thunk => binary(inv, ["+", "-"], term);
  const term = (inv: boolean): Thunk => binary(inv, ["*", "/", "//"], factor);
  const factor = (inv: boolean): Thunk => {
    const t = peek();
    if (t?.text === "+" || t?.text === "-") {
      p++;
      const v = factor(inv);
      return () => unary(v(), t.text as "+" | "-");
    }
    const base = primary(inv);
    if (peek()?.text === "**") {
      const save = p;
      p++;
      try {
        const e = factor(inv);
        return () => arith("**", base(), e());
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e;
        p = save;
      }
    }
    return base;
  };
  const primary = (inv: boolean): Thunk => {
    let v = atom(inv);
    // `x.` would be attribute access: PEG fetches the token after the dot (which may be the end of input).
    if (peek()?.text === ".") {
      p++;
      peek();
      p--;
    }
    // `2(3)` is a call: evaluated, then "'int' object is not callable".
    while (peek()?.text === "(") {
      const save = p;
      try {
        v = call(v, inv);
      } catch (e) {
        if (!(e instanceof ParseFail)) throw e;
        p = save;
        break;
      }
    }
    return v;
  };
  const call = (callee: Thunk, inv: boolean): Thunk => {
    p++;
    let arg: Thunk | undefined;
    let star: string | undefined;
    if (peek()?.text !== ")") {
      if (peek()?.text === "*" || peek()?.text === "**") star = toks[p++]!.text;
      arg = star ? disjunction(inv) : inv ? expression() : disjunction(false);
    }
    if (peek()?.text !== ")") fail();
    p++;
    return () => {
      const f = callee();
      const a = arg?.();
      if (star === "*" && a && !("tuple" in a)) throw typeError(`${show(f)} argument after * must be an iterable, not ${tname(a)}`);
      if (star === "**" && a) throw typeError(`${show(f)} argument after ** must be a mapping, not ${tname(a)}`);
      throw typeError(`'${tname(f)}' object is not callable`);
    };
  };
  const atom = (inv: boolean): Thunk => {
    const t = peek();
    if (!t) return fail();
    if (t.t === "num") {
      p++;
      const n: Num = /[.]/.test(t.text) ? { float: Number(t.text) } : { int: BigInt(t.text) };
      return () => n;
    }
    if (t.text === "...") {
      p++;
      return () => ({ ellipsis: true });
    }
    if (t.text === "(") {
      p++;
      if (peek()?.text === ")") {
        p++;
        return () => ({ tuple: 0 });
      }
      if (peek()?.text === "*" || peek()?.text === "**") {
        // A starred item can only start a tuple, which needs a comma: parse it for the look-ahead, then fail.
        const star = toks[p++]!.text;
        disjunction(false);
        if (peek()?.text === ")") throw syntax(`cannot use ${star === "**" ? "double starred" : "starred"} expression here`);
        if (secondPass && startsOperand(peek())) {
          // Two operands in a row after the starred item: the forgotten-comma rule parses the second.
          disjunction(false);
          throw new Hint();
        }
        return fail();
      }
      const v = inv ? expression() : disjunction(false);
      if (peek()?.text !== ")") fail();
      p++;
      return v;
    }
    return fail();
  };
  const v = expression();
  if (peek() !== undefined) fail();
  return v;
}

function evaluate(src: string): Num {
  const { toks, level } = tokenize(src.replace(/^[ ]+/, ""));
  if (toks.length === 0) throw syntax("invalid syntax", 0);
  let thunk: () => Num;
  try {
    thunk = parse(toks, false, level);
  } catch (e) {
    if (!(e instanceof ParseFail)) throw e;
    try {
      parse(toks, true, level);
    } catch (e2) {
      if (e2 instanceof Hint) throw syntax("invalid syntax. Perhaps you forgot a comma?");
      if (!(e2 instanceof ParseFail)) throw e2;
    }
    throw syntax("invalid syntax");
  }
  return thunk();
}

const show = (n: Num) => ("int" in n ? String(n.int) : "float" in n ? floatRepr(n.float) : "tuple" in n ? "()" : "ellipsis" in n ? "Ellipsis" : "complex");
const tname = (n: Num) => ("int" in n ? "int" : "float" in n ? "float" : "tuple" in n ? "tuple" : "ellipsis" in n ? "ellipsis" : "complex");

function unary(v: Num, op: "+" | "-"): Num {
  if ("int" in v) return { int: op === "-" ? -v.int : v.int };
  if ("float" in v) return { float: op === "-" ? -v.float : v.float };
  if ("complex" in v) return v;
  throw typeError(`bad operand type for unary ${op}: '${tname(v)}'`);
}

function arith(op: string, a: Num, b: Num): Num {
  const unsupported = () => typeError(`unsupported operand type(s) for ${op === "**" ? "** or pow()" : op}: '${tname(a)}' and '${tname(b)}'`);
  if ("tuple" in a || "tuple" in b) {
    if ("tuple" in a && op === "+") {
      if ("tuple" in b) return { tuple: a.tuple + b.tuple };
      throw typeError(`can only concatenate tuple (not "${tname(b)}") to tuple`);
    }
    if (op === "*") {
      const [seq, n] = "tuple" in a ? [a, b] : [b, a];
      if (!("int" in n)) throw typeError(`can't multiply sequence by non-int of type '${tname(n)}'`);
      return { tuple: n.int > 0n ? (seq as { tuple: number }).tuple : 0 };
    }
    throw unsupported();
  }
  if ("ellipsis" in a || "ellipsis" in b) throw unsupported();
  if ("complex" in a || "complex" in b) {
    if (op === "//") throw unsupported();
    if (op === "/" && (("int" in b && b.int === 0n) || ("float" in b && b.float === 0))) throw zero("complex division by zero");
    return { complex: true };
  }
  if ("int" in a && "int" in b) {
    const x = a.int;
    const y = b.int;
    switch (op) {
      case "+":
        return { int: x + y };
      case "-":
        return { int: x - y };
      case "*":
        return { int: x * y };
      case "/":
        if (y === 0n) throw zero("division by zero");
        return { float: intTrueDiv(x, y) };
      case "//": {
        if (y === 0n) throw zero("integer division or modulo by zero");
        const q = x / y;
        return { int: (x % y !== 0n && (x < 0n) !== (y < 0n)) ? q - 1n : q };
      }
      case "**":
        if (y < 0n) {
          if (x === 0n) throw zero("0.0 cannot be raised to a negative power");
          return floatPow(toFloat(x), Number(y));
        }
        // Python computes any power exactly; past ~20M bits we stop and give the error its float() would.
        if (x !== 0n && x !== 1n && x !== -1n && Number(y) * Math.log2(Math.abs(Number(x)) || 2) > 2e7) throw overflow("int too large to convert to float");
        return { int: x ** y };
    }
  }
  const x = "int" in a ? toFloat(a.int) : (a as { float: number }).float;
  const y = "int" in b ? toFloat(b.int) : (b as { float: number }).float;
  switch (op) {
    case "+":
      return { float: x + y };
    case "-":
      return { float: x - y };
    case "*":
      return { float: x * y };
    case "/":
      if (y === 0) throw zero("float division by zero");
      return { float: x / y };
    case "//":
      if (y === 0) throw zero("float floor division by zero");
      return { float: floorDiv(x, y) };
    default:
      return floatPow(x, y);
  }
}

function floatPow(x: number, y: number): Num {
  if (x === 0 && y < 0) throw zero("0.0 cannot be raised to a negative power");
  if (x < 0 && !Number.isInteger(y)) return { complex: true };
  const r = x ** y;
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw overflow("(34, 'Numerical result out of range')");
  return { float: r };
}

function floorDiv(x: number, y: number): number {
  // CPython: divmod via fmod, then adjust, so e.g. 7.5 // 2 == 3.0 and -7.5 // 2 == -4.0.
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod && y < 0 !== mod < 0) div -= 1;
  if (div) {
    const floored = Math.floor(div);
    if (div - floored > 0.5) return floored + 1;
    return floored;
  }
  return 0 * (x / y);
}

function intTrueDiv(x: bigint, y: bigint): number {
  const lim = 2n ** 53n;
  const ax = x < 0n ? -x : x;
  const ay = y < 0n ? -y : y;
  if (ax <= lim && ay <= lim) return Number(x) / Number(y);
  // Big operands: scale so the quotient keeps 64 significant bits, then one rounding.
  const shift = BigInt(Math.max(0, 64 - (ax.toString(2).length - ay.toString(2).length)));
  const q = (ax << shift) / ay;
  const r = Number(q) / 2 ** Number(shift);
  if (!Number.isFinite(r)) throw overflow("integer division result too large for a float");
  return (x < 0n) !== (y < 0n) ? -r : r;
}
