/**
 * Persona generator programs: the contract, the shipped seeds, static checks, generation, and the
 * persona-generation run (startPersonaRun / resumePersonaRun) that commands and other stages call.
 */
export { Axes, Axis, checkPersonas, INSTRUCTION_WORDS, placementBool, type CheckedPersonas, type Persona, type PersonaFailure } from "./contract.ts";
export { CONTEXT_MAX_CHARS, generatePersonas, PLUMBING, taskContextText, type GenerateOptions, type TaskContext, type TaskPersonas } from "./generate.ts";
export { generatorLlm } from "./llm.ts";
export { getSuite, Suite, SUITE_PREFIX, SUITES } from "./suites.ts";
export { checkMarkers, END_MARKER, START_MARKER, staticCheck, type CheckIssue, type StaticCheck } from "./static-check.ts";
export { loadProgram, SEED_PROGRAMS, type Program } from "./program.ts";
export { createPersonaRun, PersonaRunConfig, resumePersonaRun, startPersonaRun, type PersonaRunDeps, type PersonaRunInput, type PersonaRunResult } from "./run.ts";
