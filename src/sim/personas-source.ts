import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { listPersonas, type Store } from "../store/index.ts";
import type { PersonaRef } from "./plan.ts";

/** One line of `ppol personas --out` (or any JSONL with a task id, an id and an instruction). */
const PersonaLine = z.looseObject({
  task_id: z.union([z.string(), z.number()]).transform(String).optional(),
  persona_id: z.union([z.string(), z.number()]).transform(String).optional(),
  expanded_instruction: z.string().min(1).optional(),
  instruction: z.string().min(1).optional(),
});

/**
 * Personas per task from a JSONL file or a `personas` run in the archive. Lines without a task id
 * apply to every task. Keys are the persona ids (or p0, p1, … in file order).
 */
export function loadPersonas(spec: string, store: () => Store, resolvePath: (p: string) => string): Map<string, PersonaRef[]> {
  const byTask = new Map<string, PersonaRef[]>();
  const add = (taskId: string, ref: PersonaRef) => (byTask.get(taskId) ?? byTask.set(taskId, []).get(taskId)!).push(ref);
  const path = resolvePath(spec);
  if (existsSync(path)) {
    const shared: PersonaRef[] = [];
    readFileSync(path, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (!line.trim()) return;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch {
          throw new InputError(`${spec}:${i + 1}: not valid JSON`, "one persona object per line (as `ppol personas --out` writes)");
        }
        const parsed = PersonaLine.safeParse(raw);
        const text = parsed.success ? (parsed.data.expanded_instruction ?? parsed.data.instruction) : undefined;
        if (!parsed.success || !text) throw new InputError(`${spec}:${i + 1}: a persona needs "expanded_instruction" (or "instruction")`);
        const ref = { key: parsed.data.persona_id ?? `p${i}`, text };
        if (parsed.data.task_id === undefined) shared.push(ref);
        else add(parsed.data.task_id, ref);
      });
    if (shared.length) byTask.set("*", shared);
    if (!byTask.size) throw new InputError(`${spec}: no personas in the file`);
    return byTask;
  }
  const rows = listPersonas(store(), spec);
  if (!rows.length) throw new InputError(`--personas ${spec}: neither a file nor a personas run with personas`, "pass the JSONL written by `ppol personas --out`, or a personas run id");
  for (const r of rows) add(r.task_id, { key: r.persona_id, text: r.expanded_instruction });
  return byTask;
}

/** Personas for the given tasks: a task's own, else the file's task-less ones, else none (base simulator). */
export function personasFor(taskIds: readonly string[], byTask: ReadonlyMap<string, PersonaRef[]>): Map<string, PersonaRef[]> {
  const shared = byTask.get("*");
  return new Map(taskIds.flatMap((id) => {
    const list = byTask.get(id) ?? shared;
    return list ? [[id, dedupeKeys(list)] as const] : [];
  }));
}

function dedupeKeys(list: PersonaRef[]): PersonaRef[] {
  const seen = new Map<string, number>();
  return list.map((p) => {
    const n = seen.get(p.key) ?? 0;
    seen.set(p.key, n + 1);
    return n ? { ...p, key: `${p.key}#${n}` } : p;
  });
}
