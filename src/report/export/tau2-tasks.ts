/**
 * A τ² tasks.json in which each task is repeated once per persona: the persona policy goes into
 * `user_scenario.persona` (which τ²'s user simulator renders as the scenario's "Persona:" block), the id
 * gets `-p<k>` (k = the persona's position for that task), and every other field is copied untouched
 * from the original JSON, so upstream τ²-bench runs the file unchanged. Pure: text in, data out.
 */
import { z } from "zod";
import { InputError } from "../../errors.ts";
import { personasFor, type PersonaRef } from "../../sim/index.ts";
import { Task } from "../../tau2/index.ts";

export interface PersonaTasks {
  /** The expanded tasks, in task order then persona order. */
  tasks: Record<string, unknown>[];
  /** The original splits restricted to the exported tasks, with expanded ids. */
  splits: Record<string, string[]>;
  /** Selected task ids that had no personas (left out). */
  skipped: string[];
}

const RawTask = z.looseObject({ id: z.union([z.string(), z.number()]), user_scenario: z.looseObject({ persona: z.string().nullish() }) });

export function personaTasks(opts: {
  tasksJson: string;
  splitsJson: string;
  /** Where the texts came from, for errors. */
  source: string;
  taskIds: readonly string[];
  /** Personas per task id ("*" = for every task), as loaded from a run, a file or a suite. */
  personas: ReadonlyMap<string, readonly PersonaRef[]>;
}): PersonaTasks {
  const raw = parse(opts.tasksJson, `${opts.source}/tasks.json`);
  if (!Array.isArray(raw)) throw new InputError(`${opts.source}/tasks.json: expected a list of tasks`, "restore the file from upstream data/tau2/domains");
  const byId = new Map<string, Record<string, unknown>>();
  raw.forEach((t, i) => {
    const r = RawTask.safeParse(t);
    if (!r.success) throw new InputError(`${opts.source}/tasks.json: [${i}] is not a τ² task (${r.error.issues[0]!.path.join(".")}: ${r.error.issues[0]!.message})`);
    byId.set(String(r.data.id), t as Record<string, unknown>);
  });
  const chosen = personasFor(opts.taskIds, new Map([...opts.personas].map(([k, v]) => [k, [...v]])));
  const tasks: Record<string, unknown>[] = [];
  const expanded = new Map<string, string[]>();
  const skipped: string[] = [];
  for (const id of opts.taskIds) {
    const original = byId.get(id);
    if (!original) throw new InputError(`${opts.source}/tasks.json: no task "${id}"`);
    const personas = (chosen.get(id) ?? []).filter((p) => p.text);
    if (!personas.length) {
      skipped.push(id);
      continue;
    }
    const ids: string[] = [];
    personas.forEach((p, k) => {
      const copy = structuredClone(original);
      const scenario = copy.user_scenario as Record<string, unknown>;
      const before = typeof scenario.persona === "string" && scenario.persona.trim() ? `${scenario.persona.trim()}\n\n` : "";
      copy.id = `${id}-p${k}`;
      scenario.persona = `${before}${p.text!.trim()}`;
      const valid = Task.safeParse(copy);
      if (!valid.success) throw new InputError(`task ${copy.id}: the expanded task does not validate (${valid.error.issues[0]!.path.join(".")}: ${valid.error.issues[0]!.message})`);
      tasks.push(copy);
      ids.push(copy.id as string);
    });
    expanded.set(id, ids);
  }
  const splits: Record<string, string[]> = {};
  const originalSplits = parse(opts.splitsJson, `${opts.source}/split_tasks.json`) as Record<string, unknown>;
  for (const [name, list] of Object.entries(originalSplits ?? {})) {
    if (!Array.isArray(list)) continue;
    splits[name] = list.flatMap((x) => expanded.get(String(x)) ?? []);
  }
  return { tasks, splits, skipped };
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${where}: not valid JSON (${(error as Error).message})`);
  }
}
