import { describe, expect, test } from "bun:test";
import { calculate } from "../../src/tau2/calc.ts";
import { dumps, floatRepr, loads, PyException, PyFloat, repr } from "../../src/tau2/py.ts";
import { round2, sorted } from "../../src/tau2/pyops.ts";
import { construct } from "../../src/tau2/pydantic.ts";
import { Payment } from "../../src/tau2/domains/airline/data-model.ts";

const calc = (e: unknown) => {
  try {
    return calculate(e as never);
  } catch (x) {
    if (x instanceof PyException) return `Error: ${x.message}`;
    throw x;
  }
};

describe("Python value model", () => {
  test("float repr like Python", () => {
    expect([282, 0.1 + 0.2, 1e16, 1e-5, 0.0001, -0.0, 1.5e300, 123456789.125].map(floatRepr)).toEqual([
      "282.0", "0.30000000000000004", "1e+16", "1e-05", "0.0001", "-0.0", "1.5e+300", "123456789.125",
    ]);
  });
  test("json.dumps: separators, ensure_ascii, floats, key order of numeric keys", () => {
    const v = loads('{"b": 1.0, "10": [true, null, "é\\n"], "2": 2}');
    expect(dumps(v)).toBe('{"b": 1.0, "10": [true, null, "\\u00e9\\n"], "2": 2}');
    expect(dumps(v, true)).toBe('{"10": [true, null, "\\u00e9\\n"], "2": 2, "b": 1.0}');
  });
  test("repr for error messages", () => {
    expect(repr(loads('{"a": [1, 2.5, "it\'s", null, false]}'))).toBe(`{'a': [1, 2.5, "it's", None, False]}`);
  });
  test("round(x, 2) ties to even on the exact binary value", () => {
    expect([0.125, 0.375, 2.675, 1.005, -0.001].map((x) => (round2(new PyFloat(x)) as PyFloat).v)).toEqual([0.12, 0.38, 2.67, 1.0, -0]);
  });
  test("sorted() of mixed types fails like CPython", () => {
    expect(() => sorted(["a", 1])).toThrow("'<' not supported between instances of 'int' and 'str'");
    expect(sorted(["b", "a", "c"])).toEqual(["a", "b", "c"]);
  });
  test("pydantic coercions and messages", () => {
    expect(construct(Payment, { payment_id: "x", amount: new PyFloat(3) })).toEqual({ payment_id: "x", amount: 3 });
    expect(construct(Payment, { payment_id: "x", amount: " 7 " }).amount).toBe(7);
    expect(() => construct(Payment, { payment_id: "x", amount: new PyFloat(2.5) })).toThrow("Input should be a valid integer, got a number with a fractional part [type=int_from_float");
    let message = "";
    try {
      construct(Payment, { payment_id: ["y".repeat(60)], amount: [] });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      "2 validation errors for Payment\npayment_id\n  Input should be a valid string [type=string_type, input_value=" +
        `['${"y".repeat(23)}...${"y".repeat(22)}']` +
        ", input_type=list]\n    For further information visit https://errors.pydantic.dev/2.12/v/string_type\namount\n  Input should be a valid integer [type=int_type, input_value=[], input_type=list]\n    For further information visit https://errors.pydantic.dev/2.12/v/int_type",
    );
  });
});

describe("calculate (Python eval semantics)", () => {
  test("arithmetic", () => {
    expect(["2 + 2", "10 / 4", "7 // 2", "-7.5 // 2", "2 ** 10", "-2 ** 2", "2 ** -1", "99999999999999999999", "(1 + 2) * 3"].map(calc)).toEqual([
      "4.0", "2.5", "3.0", "-4.0", "1024.0", "-4.0", "0.5", "1e+20", "9.0",
    ]);
  });
  test("runtime errors", () => {
    expect(calc("1.0 / 0")).toBe("Error: float division by zero");
    expect(calc("1 // 0")).toBe("Error: integer division or modulo by zero");
    expect(calc("(-8) ** 0.5")).toBe("Error: float() argument must be a string or a real number, not 'complex'");
    expect(calc("()")).toBe("Error: float() argument must be a string or a real number, not 'tuple'");
    expect(calc("2 (3)")).toBe("Error: 'int' object is not callable");
    expect(calc("2 ** 10000 * 1.0")).toBe("Error: int too large to convert to float");
  });
  test("syntax errors", () => {
    expect(calc("")).toBe("Error: invalid syntax (<string>, line 0)");
    expect(calc("1 +")).toBe("Error: invalid syntax (<string>, line 1)");
    expect(calc("01")).toBe("Error: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)");
    expect(calc("1)")).toBe("Error: unmatched ')' (<string>, line 1)");
    expect(calc("(1 2)")).toBe("Error: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)");
    expect(calc("(1 2")).toBe("Error: '(' was never closed (<string>, line 1)");
    expect(calc("..0.34+++2(")).toBe("Error: invalid syntax (<string>, line 1)");
  });
  test("non-string expressions", () => {
    expect(calc(5)).toBe("Error: 'int' object is not iterable");
    expect(calc(["1", "+"])).toBe("Error: eval() arg 1 must be a string, bytes or code object");
    expect(calc([1])).toBe("Error: 'in <string>' requires string as left operand, not int");
  });
});

describe("big ints", () => {
  test("JSON ints beyond 2^53 stay exact, as in Python", () => {
    const v = loads('{"a": 123456789012345678901234567890, "b": 9007199254740993}');
    expect(dumps(v)).toBe('{"a": 123456789012345678901234567890, "b": 9007199254740993}');
    expect(construct(Payment, { payment_id: "x", amount: 2n ** 64n }).amount).toBe(2n ** 64n);
  });
});
