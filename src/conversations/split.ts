/**
 * Train/test assignment of a reference set, per task so that every annotator of a task lands on the
 * same side. Rules:
 * - "tau2" (default): the τ² task split (`<domain>/split_tasks.json`, train/test lists of task ids) for
 *   conversations with a domain and task id found there; anything else falls back to "hash".
 * - "hash": FNV-1a (32-bit) of `domain/task_id`, or of the conversation id when there is no task id
 *   (MultiDoGO, few-shot files); hash % 5 == 0 → test (≈ 20 %), else train. Stable across machines.
 * - "train" / "test": everything on one side.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import type { Conversation } from "../model/index.ts";

export const SPLIT_RULES = ["tau2", "hash", "train", "test"] as const;
export type SplitRule = (typeof SPLIT_RULES)[number];
/** domain → task id → side. */
export type TaskSplits = Map<string, Map<string, "train" | "test">>;

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function hashSplit(c: Pick<Conversation, "id" | "domain" | "task_id">): "train" | "test" {
  const key = c.task_id !== undefined ? `${c.domain ?? ""}/${c.task_id}` : c.id;
  return fnv1a(key) % 5 === 0 ? "test" : "train";
}

export function assignSplit(c: Conversation, rule: SplitRule, splits?: TaskSplits): "train" | "test" {
  if (rule === "train" || rule === "test") return rule;
  if (rule === "tau2" && c.domain && c.task_id !== undefined) {
    const side = splits?.get(c.domain)?.get(c.task_id);
    if (side) return side;
  }
  return hashSplit(c);
}

/** Read `split_tasks.json` for the given domains from a τ² data dir (`DIR/<d>/` or `DIR/domains/<d>/`). */
export function loadTaskSplits(dir: string, domains: Iterable<string>): TaskSplits {
  const out: TaskSplits = new Map();
  for (const d of new Set(domains)) {
    const file = [join(dir, d, "split_tasks.json"), join(dir, "domains", d, "split_tasks.json")].find(existsSync);
    if (!file) continue;
    let data: { train?: unknown; test?: unknown };
    try {
      data = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, "point --tau2-data at a τ² data directory");
    }
    const m = new Map<string, "train" | "test">();
    for (const side of ["train", "test"] as const) {
      const ids = data[side];
      if (!Array.isArray(ids)) throw new InputError(`${file}: field ${side} must be a list of task ids`, "point --tau2-data at a τ² data directory");
      for (const id of ids) m.set(String(id), side);
    }
    out.set(d, m);
  }
  return out;
}
