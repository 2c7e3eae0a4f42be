/** `--personas SPEC` for commands that run or export personas: a shipped suite, a JSONL file or a personas run. */
import { resolve } from "node:path";
import { getSuite, SUITE_PREFIX } from "../personas/index.ts";
import { loadPersonas, type PersonaRef } from "../sim/index.ts";
import type { CommandContext } from "./command.ts";

/** Personas per task id; a suite's personas apply to every task (key "*"). */
export function readPersonaSource(ctx: CommandContext, spec: string): Map<string, PersonaRef[]> {
  if (spec.startsWith(SUITE_PREFIX)) {
    const suite = getSuite(spec.slice(SUITE_PREFIX.length));
    return new Map([["*", suite.personas.map((p) => ({ key: p.persona_id, text: p.expanded_instruction }))]]);
  }
  return loadPersonas(spec, () => ctx.store(), (p) => resolve(ctx.cwd, p));
}
