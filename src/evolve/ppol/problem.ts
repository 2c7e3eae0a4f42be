/**
 * The PPol problem for the engine: the persona generator program, what the mutator is told, the five
 * mutation angles of ppol-method §5, and the static check (Python syntax and the generator contract,
 * no LLM, no execution) that screens every child before an episode is spent.
 */
import { staticCheck } from "../../personas/index.ts";
import type { PythonRuntime } from "../../python/index.ts";
import type { Problem } from "../types.ts";

export const PPOL_SYSTEM_PROMPT = `You improve a Python program that writes persona policies for a user simulator. For each task
scenario the program returns n personas; each persona's expanded_instruction is a roleplay text that
changes HOW the simulated customer talks to a support agent (terse, vague, impatient, sceptical,
typos, push-back, gradual disclosure), never WHAT they want: the task's goals and facts stay as given.

A program is scored without any LLM judge, from the behaviour of the simulated user turns: human
likeness (hl, the probability a classifier trained on real people assigns to the dialogues) and
coverage (cov, how well the personas' behaviours spread over those of real people on the task).

DIVERSITY_AXES lists behaviours real people show in this domain; add behaviours that are missing,
rewrite or drop ones that do not help. You may change the population and roleplay prompts and the
program's logic. The program must stay valid Python, keep DIVERSITY_AXES as a list of axes, and keep
generate_personas_detailed(c, axes, n) returning n persona dicts. When progress has stalled, prefer a
structural change to small wording edits. When a reflection on the last evaluation is given, let its
observations decide where to change the program.`;

/** One is drawn per proposal (ppol-method §5). */
export const PPOL_MUTATION_ANGLES: readonly string[] = [
  "Revise DIVERSITY_AXES: add behaviours real users show in this domain, rewrite or drop axes that do not make the users more human-like.",
  "Rework the population prompt so the personas differ more in communication style (length, register, punctuation, patience, disclosure).",
  "Make the roleplay expansion more natural: how people really type, react to errors and delays, push back, and reveal information gradually.",
  "Make a structural change: conditional or branching prompts that depend on which behaviours are active.",
  "Try a different approach, for example over-generate candidates and prune them to the n most distinct.",
];

/** The problem for a seed program; `python` is the embedded runtime the static check parses with. */
export function ppolProblem(seed: string, python: () => Promise<PythonRuntime>): Problem {
  return {
    seed,
    systemPrompt: PPOL_SYSTEM_PROMPT,
    mutationAngles: PPOL_MUTATION_ANGLES,
    language: "python",
    async check(code) {
      const report = await staticCheck(code, await python());
      return report.ok ? { ok: true } : { ok: false, error: report.errors.map((e) => `${e.message}${e.line && e.code !== "syntax" ? ` (line ${e.line})` : ""}`).join("; ") };
    },
  };
}
