/** A personas run as JSONL or CSV: one persona a line/row, axis placement kept as data. Pure. */
import type { PersonaRow } from "../../store/index.ts";
import { csvLines } from "../csv.ts";

const FIELDS = ["run_id", "task_id", "idx", "persona_id", "description", "axis_placement", "reasoning", "expanded_instruction"] as const;

const record = (r: PersonaRow) => ({
  run_id: r.run_id,
  task_id: r.task_id,
  idx: r.idx,
  persona_id: r.persona_id,
  description: r.description,
  axis_placement: JSON.parse(r.axis_placement_json) as Record<string, boolean>,
  reasoning: r.reasoning,
  expanded_instruction: r.expanded_instruction,
});

export function personasJsonl(rows: readonly PersonaRow[]): string {
  return rows.map((r) => `${JSON.stringify(record(r))}\n`).join("");
}

/** CSV, one persona a row; axis_placement as its JSON text. */
export function personasCsv(rows: readonly PersonaRow[]): string {
  const text = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  return csvLines([[...FIELDS], ...rows.map((r) => FIELDS.map((f) => text(record(r)[f])))]);
}
