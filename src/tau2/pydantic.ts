/**
 * The slice of pydantic v2 (lax mode, version 2.12 as pinned upstream) that τ² tools hit when they build
 * models from LLM arguments: str/int/float/bool/Literal/list/model fields, coercions, and the exact
 * `ValidationError` text that upstream returns as `"Error: " + str(e)`.
 */
import { asModel, isDict, isModel, PyException, PyFloat, repr, typeName, type Py, type PyDict, type PyMap } from "./py.ts";

const PYDANTIC_DOCS_VERSION = "2.12";

export type FieldType =
  | { k: "str" }
  | { k: "int" }
  | { k: "float" }
  | { k: "bool" }
  | { k: "lit"; values: readonly string[] }
  | { k: "optional"; inner: FieldType }
  | { k: "list"; item: FieldType }
  | { k: "dict"; value: FieldType }
  | { k: "model"; model: ModelSpec }
  /** A union told apart by one literal field (payment `source`, flight-date `status`). */
  | { k: "tagged"; key: string; models: Record<string, ModelSpec> }
  | { k: "any" };

export interface ModelSpec {
  name: string;
  /** In declaration order (= model_dump order). A `default` makes the field optional. */
  fields: readonly { name: string; type: FieldType; default?: Py }[];
}

export const T = {
  str: { k: "str" } as FieldType,
  int: { k: "int" } as FieldType,
  float: { k: "float" } as FieldType,
  bool: { k: "bool" } as FieldType,
  any: { k: "any" } as FieldType,
  lit: (...values: string[]): FieldType => ({ k: "lit", values }),
  optional: (inner: FieldType): FieldType => ({ k: "optional", inner }),
  list: (item: FieldType): FieldType => ({ k: "list", item }),
  dict: (value: FieldType): FieldType => ({ k: "dict", value }),
  model: (model: ModelSpec): FieldType => ({ k: "model", model }),
  tagged: (key: string, models: Record<string, ModelSpec>): FieldType => ({ k: "tagged", key, models }),
};

interface LineError {
  loc: (string | number)[];
  msg: string;
  type: string;
  input: Py;
}

function truncatedRepr(v: Py): string {
  const r = repr(v);
  const chars = Array.from(r);
  return chars.length > 50 ? `${chars.slice(0, 25).join("")}...${chars.slice(-24).join("")}` : r;
}

function formatValidationError(title: string, errors: LineError[]): string {
  const lines = [`${errors.length} validation error${errors.length === 1 ? "" : "s"} for ${title}`];
  for (const e of errors) {
    lines.push(e.loc.join("."));
    lines.push(`  ${e.msg} [type=${e.type}, input_value=${truncatedRepr(e.input)}, input_type=${typeName(e.input)}]`);
    lines.push(`    For further information visit https://errors.pydantic.dev/${PYDANTIC_DOCS_VERSION}/v/${e.type}`);
  }
  return lines.join("\n");
}

const INT_STRING = /^[+-]?\d+(_\d+)*$/;
const FLOAT_STRING = /^[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][+-]?\d+)?|\d+\.|inf|infinity|nan)$/i;

function literalMessage(values: readonly string[]): string {
  const q = values.map((v) => `'${v}'`);
  return `Input should be ${q.length === 1 ? q[0] : `${q.slice(0, -1).join(", ")} or ${q.at(-1)}`}`;
}

function check(type: FieldType, v: Py, loc: (string | number)[], errors: LineError[]): Py {
  const err = (msg: string, t: string) => {
    errors.push({ loc, msg, type: t, input: v });
    return v;
  };
  switch (type.k) {
    case "any":
      return v;
    case "str":
      return typeof v === "string" ? v : err("Input should be a valid string", "string_type");
    case "bool":
      if (typeof v === "boolean") return v;
      if (v === 0 || v === 1) return v === 1;
      return err("Input should be a valid boolean", "bool_type");
    case "int": {
      if (typeof v === "number" || typeof v === "bigint") return v;
      if (typeof v === "boolean") return v ? 1 : 0;
      if (v instanceof PyFloat) {
        if (!Number.isFinite(v.v)) return err("Input should be a finite number", "finite_number");
        if (!Number.isInteger(v.v)) return err("Input should be a valid integer, got a number with a fractional part", "int_from_float");
        if (Math.abs(v.v) >= 2 ** 63) return err("Unable to parse input string as an integer, exceeded maximum size", "int_parsing_size");
        return v.v || 0;
      }
      if (typeof v === "string") {
        const s = v.trim();
        if (INT_STRING.test(s)) {
          const n = Number(s.replaceAll("_", ""));
          return Number.isSafeInteger(n) ? n || 0 : BigInt(s.replaceAll("_", ""));
        }
        if (/^[+-]?\d+\.0+$/.test(s)) return Number(s) || 0;
        return err("Input should be a valid integer, unable to parse string as an integer", "int_parsing");
      }
      return err("Input should be a valid integer", "int_type");
    }
    case "float": {
      if (v instanceof PyFloat) return v;
      if (typeof v === "bigint" && !Number.isFinite(Number(v))) return err("Input should be a valid number", "float_type");
      if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return new PyFloat(Number(v));
      if (typeof v === "string") {
        const s = v.trim();
        if (FLOAT_STRING.test(s)) {
          const low = s.toLowerCase().replaceAll("_", "");
          const n = low.endsWith("nan") ? NaN : low.includes("inf") ? (low.startsWith("-") ? -Infinity : Infinity) : Number(low);
          return new PyFloat(n);
        }
        return err("Input should be a valid number, unable to parse string as a number", "float_parsing");
      }
      return err("Input should be a valid number", "float_type");
    }
    case "lit":
      return typeof v === "string" && type.values.includes(v) ? v : err(literalMessage(type.values), "literal_error");
    case "optional":
      return v === null ? null : check(type.inner, v, loc, errors);
    case "list": {
      if (!Array.isArray(v)) return err("Input should be a valid list", "list_type");
      return v.map((x, i) => check(type.item, x, [...loc, i], errors));
    }
    case "dict": {
      if (!isDict(v)) return err("Input should be a valid dictionary", "dict_type");
      const out: PyMap = new Map();
      for (const [key, x] of v) out.set(key, check(type.value, x, [...loc, key], errors));
      return out;
    }
    case "tagged": {
      const tag = isDict(v) ? v.get(type.key) : isModel(v) ? v[type.key] : undefined;
      const model = typeof tag === "string" ? type.models[tag] : undefined;
      if (!model) return err(`Input tag ${repr(tag ?? null)} does not match any of the expected tags`, "union_tag_invalid");
      return check({ k: "model", model }, v, loc, errors);
    }
    case "model": {
      if (isModel(v) && typeName(v) === type.model.name) return v;
      if (!isDict(v)) return err(`Input should be a valid dictionary or instance of ${type.model.name}`, "model_type");
      return fields(type.model, v, loc, errors);
    }
  }
}

function fields(model: ModelSpec, input: PyMap, loc: (string | number)[], errors: LineError[]): PyDict {
  const out: PyDict = {};
  for (const f of model.fields) {
    if (input.has(f.name)) out[f.name] = check(f.type, input.get(f.name)!, [...loc, f.name], errors);
    else if (f.default !== undefined) out[f.name] = f.default;
    else errors.push({ loc: [...loc, f.name], msg: "Field required", type: "missing", input });
  }
  return asModel(out, model.name);
}

/** `Model(**input)`: the validated record in field order, or a ValidationError (as a PyException). */
export function construct(model: ModelSpec, input: PyMap | PyDict): PyDict {
  const errors: LineError[] = [];
  const out = fields(model, input instanceof Map ? input : new Map(Object.entries(input)), [], errors);
  if (errors.length) throw new PyException("ValidationError", formatValidationError(model.name, errors));
  return out;
}

/**
 * Build the in-memory record for data that was already validated (db.json): fields in model order,
 * absent optional fields as their default, floats boxed. This is what `model_dump()` would return.
 */
export function shape(type: FieldType, v: unknown): Py {
  switch (type.k) {
    case "float":
      return typeof v === "number" ? new PyFloat(v) : (v as Py);
    case "optional":
      return v === null || v === undefined ? null : shape(type.inner, v);
    case "list":
      return (v as unknown[]).map((x) => shape(type.item, x));
    case "dict": {
      const out: PyMap = new Map();
      for (const k in v as object) out.set(unmangleKey(k), shape(type.value, (v as Record<string, unknown>)[k]));
      return out;
    }
    case "model":
      return shapeModel(type.model, v as Record<string, unknown>);
    case "tagged":
      return shapeModel(type.models[(v as Record<string, string>)[type.key]!]!, v as Record<string, unknown>);
    default:
      return v as Py;
  }
}

/**
 * JS objects list integer-like keys ("1270145486") first, so before JSON.parse such keys get a NUL prefix
 * (never raw in JSON text) that keeps file order; `shape` strips it.
 */
export const mangleNumericKeys = (json: string) => json.replace(/(?<!\\)"(\d+)"(\s*):/g, '"\\u0000$1"$2:');
const unmangleKey = (k: string) => (k.charCodeAt(0) === 0 ? k.slice(1) : k);

function shapeModel(model: ModelSpec, v: Record<string, unknown>): PyDict {
  const out: PyDict = {};
  for (const f of model.fields) {
    const x = v[f.name];
    out[f.name] = x === undefined ? (f.default ?? null) : shape(f.type, x);
  }
  return out;
}
