/**
 * The `calculate` tool: upstream checks the characters, then runs Python's `eval` and returns
 * `str(round(float(result), 2))`. Only digits, `+ - * / ( ) .` and spaces get through, so the language is
 * Python arithmetic on int (unbounded: BigInt here) and float, with `**` and `//`, and Python's error texts.
 */
import { floatRepr, PyException, typeError, typeName, valueError, type Py } from "./py.ts";
import { iter, roundFloat } from "./pyops.ts";

type Num = { int: bigint } | { float: number } | { tuple: true } | { complex: true };

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
  if ("tuple" in result) throw typeError("float() argument must be a string or a real number, not 'tuple'");
  if ("complex" in result) throw typeError("float() argument must be a string or a real number, not 'complex'");
  const f = "int" in result ? toFloat(result.int) : result.float;
  return floatRepr(roundFloat(f, 2));
}

type Tok = { t: "num"; text: string } | { t: "op"; text: string };

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const parens: number[] = [];
  while (i < src.length) {
    const c = src[i]!;
    if (c === " ") {
      i++;
      continue;
    }
    const m = /^(\d+\.?\d*|\.\d+)/.exec(src.slice(i));
    if (m) {
      const text = m[0];
      if (/^0\d*[1-9]/.test(text) && !text.includes(".")) {
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
    if (c === "(") parens.push(i);
    if (c === ")" && parens.pop() === undefined) throw syntax("unmatched ')'");
    toks.push({ t: "op", text: c });
    i++;
  }
  if (parens.length) throw syntax("'(' was never closed");
  return toks;
}

function evaluate(src: string): Num {
  const trimmed = src.replace(/^[ ]+/, "");
  const toks = tokenize(trimmed);
  if (toks.length === 0) throw syntax("invalid syntax", 0);
  let p = 0;
  let depth = 0;
  const peek = () => toks[p];
  const bad = (): never => {
    // Two operands side by side inside brackets get CPython's comma hint.
    const prev = toks[p - 1];
    const cur = toks[p];
    const startsOperand = cur && (cur.t === "num" || cur.text === "(");
    const endsOperand = prev && (prev.t === "num" || prev.text === ")");
    if (depth > 0 && startsOperand && endsOperand) throw syntax("invalid syntax. Perhaps you forgot a comma?");
    if (p === 0 && cur?.text === "*") throw syntax("can't use starred expression here");
    throw syntax("invalid syntax");
  };
  const expr = (): Num => {
    let left = term();
    while (peek()?.text === "+" || peek()?.text === "-") {
      const op = toks[p++]!.text;
      left = arith(op, left, term());
    }
    return left;
  };
  const term = (): Num => {
    let left = factor();
    while (peek()?.text === "*" || peek()?.text === "/" || peek()?.text === "//") {
      const op = toks[p++]!.text;
      left = arith(op, left, factor());
    }
    return left;
  };
  const factor = (): Num => {
    const t = peek();
    if (t?.text === "+" || t?.text === "-") {
      p++;
      const v = factor();
      return t.text === "+" ? unary(v, "+") : unary(v, "-");
    }
    return power();
  };
  const power = (): Num => {
    const base = atom();
    if (peek()?.text === "**") {
      p++;
      return arith("**", base, factor());
    }
    return base;
  };
  const atom = (): Num => {
    const t = peek();
    if (!t) return bad();
    if (t.t === "num") {
      p++;
      return /[.]/.test(t.text) ? { float: Number(t.text) } : { int: BigInt(t.text) };
    }
    if (t.text === "(") {
      p++;
      depth++;
      if (peek()?.text === ")") {
        p++;
        depth--;
        return { tuple: true };
      }
      const v = expr();
      if (peek()?.text !== ")") return bad();
      p++;
      depth--;
      return v;
    }
    return bad();
  };
  const v = expr();
  if (p !== toks.length) bad();
  return v;
}

const tname = (n: Num) => ("int" in n ? "int" : "float" in n ? "float" : "tuple" in n ? "tuple" : "complex");

function unary(v: Num, op: "+" | "-"): Num {
  if ("int" in v) return { int: op === "-" ? -v.int : v.int };
  if ("float" in v) return { float: op === "-" ? -v.float : v.float };
  if ("complex" in v) return v;
  throw typeError(`bad operand type for unary ${op}: 'tuple'`);
}

function arith(op: string, a: Num, b: Num): Num {
  if ("tuple" in a || "tuple" in b || "complex" in a || "complex" in b) {
    if ("tuple" in a && "tuple" in b && op === "+") return a;
    if (("complex" in a || "complex" in b) && !("tuple" in a) && !("tuple" in b) && op !== "//") return { complex: true };
    throw typeError(`unsupported operand type(s) for ${op === "**" ? "** or pow()" : op}: '${tname(a)}' and '${tname(b)}'`);
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
        if (y > 100000n && x !== 0n && x !== 1n && x !== -1n) throw overflow("exponent too large for this calculator");
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
