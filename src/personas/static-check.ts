/**
 * `ppol generator check`: static checks of a generator program without running it or calling an LLM.
 * Parsing uses Python's own `ast` (inside the embedded Pyodide: parsing executes nothing), the
 * EVOLVE-BLOCK markers are checked line by line, and a literal DIVERSITY_AXES is checked with zod.
 */
import { z } from "zod";
import type { PythonRuntime } from "../python/index.ts";
import { Axes } from "./contract.ts";

export const START_MARKER = "# EVOLVE-BLOCK-START";
export const END_MARKER = "# EVOLVE-BLOCK-END";

const CHECK_PY = `
import ast as _ast

def _ppol_static_check(source):
    try:
        tree = _ast.parse(source)
    except SyntaxError as e:
        return {"syntax": {"message": e.msg, "line": e.lineno, "col": e.offset}}
    except (ValueError, RecursionError, MemoryError) as e:
        return {"syntax": {"message": f"{type(e).__name__}: {e}", "line": None, "col": None}}
    defs = {}
    for node in tree.body:
        if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef)):
            a = node.args
            defs[node.name] = {"kind": "function", "line": node.lineno, "params": len(a.posonlyargs) + len(a.args), "varargs": a.vararg is not None}
        elif isinstance(node, (_ast.Assign, _ast.AnnAssign)):
            targets = node.targets if isinstance(node, _ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, _ast.Name):
                    entry = {"kind": "value", "line": node.lineno, "literal": False, "value": None}
                    try:
                        entry["value"] = _ast.literal_eval(node.value)
                        entry["literal"] = True
                    except Exception:
                        pass
                    defs[t.id] = entry
    return {"defs": defs}
`;

const Report = z.object({
  syntax: z.object({ message: z.string(), line: z.number().nullable(), col: z.number().nullable() }).optional(),
  defs: z
    .record(
      z.string(),
      z.object({ kind: z.enum(["function", "value"]), line: z.number(), params: z.number().optional(), varargs: z.boolean().optional(), literal: z.boolean().optional(), value: z.unknown().optional() }),
    )
    .optional(),
});

export interface CheckIssue {
  code: "syntax" | "missing_name" | "wrong_kind" | "signature" | "markers" | "axes";
  message: string;
  line?: number;
}

export interface StaticCheck {
  ok: boolean;
  errors: CheckIssue[];
  warnings: CheckIssue[];
  /** The literal DIVERSITY_AXES, when it is one and valid. */
  axes?: z.infer<typeof Axes>;
}

/** Marker problems: exactly balanced START/END pairs, in order, not nested, at least one. */
export function checkMarkers(source: string): CheckIssue[] {
  const issues: CheckIssue[] = [];
  let open: number | undefined;
  let pairs = 0;
  source.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === START_MARKER) {
      if (open !== undefined) issues.push({ code: "markers", message: `${START_MARKER} inside the block opened on line ${open}`, line: i + 1 });
      open = i + 1;
    } else if (line === END_MARKER) {
      if (open === undefined) issues.push({ code: "markers", message: `${END_MARKER} without a ${START_MARKER} before it`, line: i + 1 });
      else pairs++;
      open = undefined;
    }
  });
  if (open !== undefined) issues.push({ code: "markers", message: `${START_MARKER} on line ${open} is never closed`, line: open });
  if (pairs === 0 && issues.length === 0) issues.push({ code: "markers", message: `no evolvable region: mark it with ${START_MARKER} / ${END_MARKER}` });
  return issues;
}

export async function staticCheck(source: string, python: PythonRuntime): Promise<StaticCheck> {
  await python.run(CHECK_PY);
  const report = Report.parse((await python.call("_ppol_static_check", [source])).value);
  const errors: CheckIssue[] = [];
  const warnings: CheckIssue[] = [];
  if (report.syntax) {
    const at = report.syntax.line ? ` (line ${report.syntax.line}${report.syntax.col ? `, column ${report.syntax.col}` : ""})` : "";
    errors.push({ code: "syntax", message: `SyntaxError: ${report.syntax.message}${at}`, line: report.syntax.line ?? undefined });
    return { ok: false, errors: [...errors, ...checkMarkers(source)], warnings };
  }
  const defs = report.defs ?? {};
  const gen = defs.generate_personas_detailed;
  if (!gen) errors.push({ code: "missing_name", message: "generate_personas_detailed(c, axes, n) is not defined at the top level" });
  else if (gen.kind !== "function") errors.push({ code: "wrong_kind", message: "generate_personas_detailed must be a function", line: gen.line });
  else if ((gen.params ?? 0) < 3 && !gen.varargs) errors.push({ code: "signature", message: `generate_personas_detailed takes ${gen.params} parameters, 3 needed (c, axes, n)`, line: gen.line });
  const axesDef = defs.DIVERSITY_AXES;
  let axes: StaticCheck["axes"];
  if (!axesDef) errors.push({ code: "missing_name", message: "DIVERSITY_AXES is not assigned at the top level" });
  else if (axesDef.kind !== "value") errors.push({ code: "wrong_kind", message: "DIVERSITY_AXES must be a list of axes, not a function", line: axesDef.line });
  else if (!axesDef.literal) warnings.push({ code: "axes", message: "DIVERSITY_AXES is not a literal: checked when the program runs", line: axesDef.line });
  else {
    const parsed = Axes.safeParse(axesDef.value);
    if (parsed.success) axes = parsed.data;
    else errors.push({ code: "axes", message: `DIVERSITY_AXES: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, line: axesDef.line });
  }
  errors.push(...checkMarkers(source));
  return { ok: errors.length === 0, errors, warnings, axes };
}
