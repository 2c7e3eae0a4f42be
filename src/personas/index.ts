/** Persona generator programs: the contract, the shipped seeds, static checks and generation. */
import DP_BASELINE from "./seed/dp_baseline.py" with { type: "text" };
import PPOL_SEED from "./seed/ppol_seed.py" with { type: "text" };

export { Axes, Axis, checkPersonas, INSTRUCTION_WORDS, placementBool, type CheckedPersonas, type Persona, type PersonaFailure } from "./contract.ts";
export { CONTEXT_MAX_CHARS, generatePersonas, PLUMBING, taskContextText, type GenerateOptions, type TaskContext, type TaskPersonas } from "./generate.ts";
export { generatorLlm } from "./llm.ts";
export { getSuite, Suite, SUITE_PREFIX, SUITES } from "./suites.ts";
export { checkMarkers, END_MARKER, START_MARKER, staticCheck, type CheckIssue, type StaticCheck } from "./static-check.ts";

/** Programs shipped inside the binary, addressable as `--program seed:NAME`. */
export const SEED_PROGRAMS: Readonly<Record<string, { filename: string; code: string }>> = {
  ppol: { filename: "ppol_seed.py", code: PPOL_SEED },
  dp: { filename: "dp_baseline.py", code: DP_BASELINE },
};
