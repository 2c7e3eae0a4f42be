/**
 * Out-of-distribution user suites: fixed persona sets in the spirit of τ-Trait (skeptical, incoherent,
 * impatient, confused), written for ppol and shipped inside the binary as data. Each persona only changes
 * HOW the user talks, like generated ones, so a suite is usable wherever personas are (`suite:NAME`).
 */
import { z } from "zod";
import { closest, InputError } from "../errors.ts";
import CONFUSED from "./suites/confused.json" with { type: "json" };
import IMPATIENT from "./suites/impatient.json" with { type: "json" };
import INCOHERENT from "./suites/incoherent.json" with { type: "json" };
import SKEPTICAL from "./suites/skeptical.json" with { type: "json" };

export const Suite = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  personas: z.array(z.object({ persona_id: z.string().min(1), description: z.string().min(1), expanded_instruction: z.string().min(1) })).min(1),
});
export type Suite = z.infer<typeof Suite>;

/** Every shipped suite, by name (validated once at load: a broken data file fails every test). */
export const SUITES: ReadonlyMap<string, Suite> = new Map([SKEPTICAL, INCOHERENT, IMPATIENT, CONFUSED].map((raw) => Suite.parse(raw)).map((s) => [s.name, s]));

export const SUITE_PREFIX = "suite:";

/** A suite by name; an unknown name is an InputError listing the suites. */
export function getSuite(name: string): Suite {
  const suite = SUITES.get(name);
  if (suite) return suite;
  const hint = closest(name, [...SUITES.keys()]);
  throw new InputError(`unknown persona suite "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}`, `suites: ${[...SUITES.keys()].join(", ")} (\`ppol personas --suites\`)`);
}
