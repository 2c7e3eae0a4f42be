/**
 * Tool dispatch as upstream's `Environment.get_response` does it: keyword arguments bound to the tool
 * method exactly as Python binds them (extra → "got an unexpected keyword argument", missing → "missing N
 * required positional argument(s)"), any exception → `"Error: " + str(exc)`, results via `to_json_str`.
 */
import type { DbState } from "./environment.ts";
import { dumps, PyException, typeName, type Py } from "./py.ts";

export interface ToolDef {
  name: string;
  /** Parameter names in signature order (all required in these domains). */
  params: readonly string[];
  /** WRITE tools: re-executed when the evaluator rebuilds a state. */
  mutates: boolean;
  /** Returns a Python str (sent verbatim) or a model/list (sent as json.dumps). */
  run(db: DbState, args: Readonly<Record<string, Py>>): Py;
}

export interface ToolResult {
  content: string;
  error: boolean;
}

function joinNames(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0]!;
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(", ")}, and ${q.at(-1)}`;
}

/** Python's argument-binding errors for `ClassName.method(**args)`. */
function bind(className: string, tool: ToolDef, keys: string[]): void {
  const fn = `${className}.${tool.name}()`;
  for (const key of keys) {
    if (key === "self") throw new PyException("TypeError", `${fn} got multiple values for argument 'self'`);
    if (!tool.params.includes(key)) throw new PyException("TypeError", `${fn} got an unexpected keyword argument '${key}'`);
  }
  const missing = tool.params.filter((p) => !keys.includes(p));
  if (missing.length)
    throw new PyException("TypeError", `${fn} missing ${missing.length} required positional argument${missing.length > 1 ? "s" : ""}: ${joinNames(missing)}`);
}

export class Toolkit {
  readonly byName: ReadonlyMap<string, ToolDef>;
  constructor(
    /** Upstream toolkit class name, as it appears in binding errors ("RetailTools"). */
    readonly className: string,
    readonly tools: readonly ToolDef[],
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  isMutating(name: string): boolean {
    return this.byName.get(name)?.mutates ?? false;
  }

  /** Run one call; never throws for tool-level failures (they become error results like upstream). */
  call(db: DbState, name: string, args: Py): ToolResult {
    try {
      return { content: toJsonStr(this.invoke(db, name, args)), error: false };
    } catch (e) {
      if (e instanceof PyException) return { content: `Error: ${e.message}`, error: true };
      throw e;
    }
  }

  private invoke(db: DbState, name: string, rawArgs: Py): Py {
    if (!(rawArgs instanceof Map)) {
      throw new PyException("TypeError", `tau2.environment.environment.Environment.make_tool_call() argument after ** must be a mapping, not ${typeName(rawArgs)}`);
    }
    const keys = [...rawArgs.keys()];
    // `make_tool_call(name, requestor=..., **arguments)`: these names collide before the tool is even looked up.
    if (rawArgs.has("requestor"))
      throw new PyException("TypeError", "tau2.environment.environment.Environment.make_tool_call() got multiple values for keyword argument 'requestor'");
    for (const key of keys) {
      if (key === "self" || key === "tool_name") throw new PyException("TypeError", `Environment.make_tool_call() got multiple values for argument '${key}'`);
    }
    const tool = this.byName.get(name);
    if (!tool) throw new PyException("ValueError", `Tool '${name}' not found.`);
    bind(this.className, tool, keys);
    return tool.run(db, Object.fromEntries(rawArgs));
  }
}

/** Upstream `to_json_str`: str verbatim, everything else through json.dumps. */
function toJsonStr(v: Py): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return dumps(String(v === true ? "True" : v === false ? "False" : v));
  return dumps(v);
}
