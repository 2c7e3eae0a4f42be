/**
 * Where a run's personas come from, resolved in one place: a shipped suite (`suite:NAME`), a personas run
 * in the archive, or a JSONL file (one persona a line, as `ppol personas --out` writes; lines without a
 * task id apply to every task). A file's personas are kept with the run's plan (`snapshot`), so resuming
 * or replaying the run needs no file.
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { getSuite, SUITE_PREFIX } from "../personas/index.ts";
import { listPersonas, type Store } from "../store/index.ts";
import type { PersonaRef } from "./plan.ts";

/** One line of `ppol personas --out` (or any JSONL with a task id, an id and an instruction). */
const PersonaLine = z.looseObject({
  task_id: z.union([z.string(), z.number()]).transform(String).optional(),
  persona_id: z.union([z.string(), z.number()]).transform(String).optional(),
  expanded_instruction: z.string().min(1).optional(),
  instruction: z.string().min(1).optional(),
});

/** Personas by task id ("*": every task without its own). */
export type PersonasByTask = Map<string, PersonaRef[]>;

export interface ResolvedPersonas {
  /** What the plan records: the suite or run id, or the file as the user named it. */
  spec: string;
  byTask: PersonasByTask;
  /** Set for files: the personas themselves, for the plan. */
  snapshot?: Record<string, PersonaRef[]>;
}

export function resolvePersonas(spec: string, store: Store, cwd: string): ResolvedPersonas {
  if (spec.startsWith(SUITE_PREFIX)) return { spec, byTask: suitePersonas(spec) };
  const path = resolvePath(cwd, spec);
  if (existsSync(path)) {
    const byTask = readPersonaFile(path, spec);
    return { spec, byTask, snapshot: Object.fromEntries(byTask) };
  }
  return { spec, byTask: runPersonas(store, spec) };
}

/** The personas of a stored plan: its snapshot, else its suite or personas run. */
export function planPersonas(plan: { personas: string | null; personas_snapshot?: Record<string, PersonaRef[]> }, store: Store, cwd: string): PersonasByTask | undefined {
  if (plan.personas_snapshot) return new Map(Object.entries(plan.personas_snapshot));
  return plan.personas ? resolvePersonas(plan.personas, store, cwd).byTask : undefined;
}

function suitePersonas(spec: string): PersonasByTask {
  const suite = getSuite(spec.slice(SUITE_PREFIX.length));
  return new Map([["*", suite.personas.map((p) => ({ key: p.persona_id, text: p.expanded_instruction }))]]);
}

function runPersonas(store: Store, runId: string): PersonasByTask {
  const rows = listPersonas(store, runId);
  if (!rows.length) throw new InputError(`--personas ${runId}: neither a file, a suite nor a personas run with personas`, "pass the JSONL written by `ppol personas --out`, a personas run id, or suite:NAME (`ppol personas --suites`)");
  const byTask: PersonasByTask = new Map();
  for (const r of rows) (byTask.get(r.task_id) ?? byTask.set(r.task_id, []).get(r.task_id)!).push({ key: r.persona_id, text: r.expanded_instruction });
  return byTask;
}

function readPersonaFile(path: string, spec: string): PersonasByTask {
  const byTask: PersonasByTask = new Map();
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
      else (byTask.get(parsed.data.task_id) ?? byTask.set(parsed.data.task_id, []).get(parsed.data.task_id)!).push(ref);
    });
  if (shared.length) byTask.set("*", shared);
  if (!byTask.size) throw new InputError(`${spec}: no personas in the file`);
  return byTask;
}

/** Personas for the given tasks: a task's own, else the task-less ones, else none (base simulator). */
export function personasFor(taskIds: readonly string[], byTask: ReadonlyMap<string, PersonaRef[]>): Map<string, PersonaRef[]> {
  const shared = byTask.get("*");
  return new Map(
    taskIds.flatMap((id) => {
      const list = byTask.get(id) ?? shared;
      return list ? [[id, dedupeKeys(list)] as const] : [];
    }),
  );
}

function dedupeKeys(list: PersonaRef[]): PersonaRef[] {
  const seen = new Map<string, number>();
  return list.map((p) => {
    const n = seen.get(p.key) ?? 0;
    seen.set(p.key, n + 1);
    return n ? { ...p, key: `${p.key}#${n}` } : p;
  });
}
