/**
 * The generator contract: what a persona generator program must define and return. A program defines
 * `DIVERSITY_AXES` and `generate_personas_detailed(c, axes, n)`; its output is checked here persona by
 * persona, so one bad persona is reported without hiding the good ones.
 */
import { z } from "zod";

export const Axis = z.object({
  behavior: z.string().min(1).max(80),
  definition: z.string().max(2000),
  presence: z.object({ true: z.string().max(2000), false: z.string().max(2000) }),
});
export type Axis = z.infer<typeof Axis>;
export const Axes = z.array(Axis).max(32);

/** 150–250 words is the target; the bounds below only reject what is clearly not an instruction. */
export const INSTRUCTION_WORDS = { min: 60, max: 600 } as const;
const words = (s: string) => s.trim().split(/\s+/).filter(Boolean).length;

export const Persona = z.object({
  persona_id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(80)),
  description: z.string().trim().min(10).max(2000),
  axis_placement: z.record(z.string(), z.boolean()),
  reasoning: z.string().max(1000),
  expanded_instruction: z
    .string()
    .trim()
    .refine((s) => words(s) >= INSTRUCTION_WORDS.min, { message: `expanded_instruction has fewer than ${INSTRUCTION_WORDS.min} words` })
    .refine((s) => words(s) <= INSTRUCTION_WORDS.max, { message: `expanded_instruction has more than ${INSTRUCTION_WORDS.max} words` }),
});
export type Persona = z.infer<typeof Persona>;

export interface PersonaFailure {
  /** Position in the program's list (null: the list as a whole). */
  index: number | null;
  persona_id: string | null;
  error: string;
}

export interface CheckedPersonas {
  personas: Persona[];
  failures: PersonaFailure[];
  /** Exactly n valid personas. */
  ok: boolean;
}

/**
 * Check the program's output for one task: a list of n persona objects. Each persona must carry a
 * boolean for every axis (and nothing else); a persona with an `error` field (the program's own report
 * of a partial failure) is a failure with that message. Fewer than n valid personas is a failure.
 */
export function checkPersonas(raw: unknown, n: number, axes: readonly Axis[]): CheckedPersonas {
  if (!Array.isArray(raw)) return { personas: [], failures: [{ index: null, persona_id: null, error: `expected a list of personas, got ${kindOf(raw)}` }], ok: false };
  const personas: Persona[] = [];
  const failures: PersonaFailure[] = [];
  const names = axes.map((a) => a.behavior);
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const id = item && typeof item === "object" && "persona_id" in item ? String((item as Record<string, unknown>).persona_id).slice(0, 80) : null;
    const fail = (error: string) => failures.push({ index, persona_id: id, error });
    if (item && typeof item === "object" && typeof (item as Record<string, unknown>).error === "string") return fail(String((item as Record<string, unknown>).error).slice(0, 500));
    const parsed = Persona.safeParse(item);
    if (!parsed.success) return fail(parsed.error.issues.map((i) => `${i.path.join(".") || "persona"}: ${i.message}`).join("; "));
    const p = parsed.data;
    const missing = names.filter((a) => !(a in p.axis_placement));
    const extra = Object.keys(p.axis_placement).filter((a) => !names.includes(a));
    if (missing.length) return fail(`axis_placement lacks ${missing.join(", ")}`);
    if (extra.length) return fail(`axis_placement has unknown axes ${extra.join(", ")}`);
    if (seen.has(p.persona_id)) return fail(`duplicate persona_id "${p.persona_id}"`);
    seen.add(p.persona_id);
    personas.push(p);
  });
  if (raw.length > n) failures.push({ index: null, persona_id: null, error: `${raw.length} personas returned, ${n} asked for` });
  if (personas.length < n && raw.length < n) failures.push({ index: null, persona_id: null, error: `${raw.length} personas returned, ${n} asked for (never pad)` });
  return { personas: personas.slice(0, n), failures, ok: personas.length === n && raw.length === n };
}

function kindOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : typeof v;
}

/** What the host entry point (plumbing `_ppol_generate`) returns. */
export const GeneratorOutput = z.object({ axes: z.unknown(), personas: z.unknown() });
