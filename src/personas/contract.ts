/**
 * The generator contract: what a persona generator program must define and return. A program defines
 * `DIVERSITY_AXES` and `generate_personas_detailed(c, axes, n)`. Its output is read as the PPol reference
 * reads it: fewer than n personas fails the task; a persona without an instruction is dropped (and
 * counted); axis placements are normalised to booleans. Everything else ppol checks (word counts, a
 * missing description, unknown axes, …) is a warning kept with the persona, never a reason to drop it.
 */
import { z } from "zod";

/** An axis as programs write them; only the name is required (the reference reads the rest with defaults). */
export const Axis = z.object({
  behavior: z.string().trim().min(1).max(80),
  definition: z.string().default(""),
  presence: z.object({ true: z.string().default(""), false: z.string().default("") }).default({ true: "", false: "" }),
});
export type Axis = z.infer<typeof Axis>;
export const Axes = z.array(Axis).max(32);

/** 150–250 words is the target; outside these bounds a persona gets a warning. */
export const INSTRUCTION_WORDS = { min: 60, max: 600 } as const;
const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

export interface Persona {
  persona_id: string;
  description: string;
  axis_placement: Record<string, boolean>;
  reasoning: string;
  expanded_instruction: string;
  /** What ppol's own checks found; the reference has no such checks, so nothing here drops a persona. */
  warnings: string[];
}

export interface PersonaFailure {
  /** Position in the program's list (null: the list as a whole). */
  index: number | null;
  persona_id: string | null;
  error: string;
}

export interface CheckedPersonas {
  personas: Persona[];
  /** Personas dropped (no instruction, the program's own error) and list-level problems. */
  failures: PersonaFailure[];
  /** At least n personas returned and at least one kept. */
  ok: boolean;
}

/** The reference's reading of a placement value: a bool, or a string/number spelling true. */
export function placementBool(raw: unknown): boolean {
  if (typeof raw === "boolean") return raw;
  // Python's str(): None → "None", 1 → "1", 1.0 → "1.0".
  const text = raw === null || raw === undefined ? "none" : String(raw);
  return ["true", "1", "yes", "on"].includes(text.trim().toLowerCase());
}

const text = (v: unknown) => (typeof v === "string" ? v.trim() : typeof v === "number" ? String(v) : "");

/** Check one task's output: a list of at least n personas (the first n are kept). */
export function checkPersonas(raw: unknown, n: number, axes: readonly Axis[]): CheckedPersonas {
  if (!Array.isArray(raw)) return { personas: [], failures: [{ index: null, persona_id: null, error: `expected a list of personas, got ${kindOf(raw)}` }], ok: false };
  const personas: Persona[] = [];
  const failures: PersonaFailure[] = [];
  const names = axes.map((a) => a.behavior);
  const seen = new Set<string>();
  raw.slice(0, n).forEach((item, index) => {
    const row = item && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    const givenId = text(row?.persona_id).slice(0, 80);
    const drop = (error: string) => failures.push({ index, persona_id: givenId || null, error });
    if (!row) return drop(`not an object: ${kindOf(item)}`);
    if (typeof row.error === "string" && row.error) return drop(row.error.slice(0, 500));
    // The reference takes the first non-empty of these keys.
    const instruction = [row.expanded_instruction, row.instruction, row.text].find((v) => typeof v === "string" && v.trim()) as string | undefined;
    if (!instruction) return drop("empty expanded_instruction");
    const warnings: string[] = [];
    const id = givenId || `p${index + 1}`;
    if (!givenId) warnings.push(`no persona_id: named ${id}`);
    if (seen.has(id)) warnings.push(`duplicate persona_id "${id}"`);
    seen.add(id);
    const description = text(row.description);
    if (!description) warnings.push("no description");
    const placement = row.axis_placement && typeof row.axis_placement === "object" && !Array.isArray(row.axis_placement) ? (row.axis_placement as Record<string, unknown>) : {};
    const missing = names.filter((a) => !(a in placement));
    const extra = Object.keys(placement).filter((a) => !names.includes(a));
    const loose = names.filter((a) => a in placement && typeof placement[a] !== "boolean");
    if (missing.length) warnings.push(`axis_placement lacks ${missing.join(", ")} (read as false)`);
    if (extra.length) warnings.push(`axis_placement has unknown axes ${extra.join(", ")} (dropped)`);
    if (loose.length) warnings.push(`axis_placement not boolean for ${loose.map((a) => `${a}=${JSON.stringify(placement[a])}`).join(", ")} (normalised)`);
    const count = words(instruction);
    if (count < INSTRUCTION_WORDS.min) warnings.push(`expanded_instruction has ${count} words, fewer than ${INSTRUCTION_WORDS.min}`);
    if (count > INSTRUCTION_WORDS.max) warnings.push(`expanded_instruction has ${count} words, more than ${INSTRUCTION_WORDS.max}`);
    personas.push({
      persona_id: id,
      description,
      axis_placement: Object.fromEntries(names.map((a) => [a, placementBool(placement[a])])),
      reasoning: text(row.reasoning),
      expanded_instruction: instruction.trim(),
      warnings,
    });
  });
  if (raw.length > n) failures.push({ index: null, persona_id: null, error: `${raw.length} personas returned, ${n} asked for: the first ${n} kept` });
  if (raw.length < n) failures.push({ index: null, persona_id: null, error: `${raw.length} personas returned, ${n} asked for (never pad)` });
  return { personas, failures, ok: raw.length >= n && personas.length > 0 };
}

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v;
}

/** What the host entry point (plumbing `_ppol_generate`) returns. */
export const GeneratorOutput = z.object({ axes: z.unknown(), personas: z.unknown() });
