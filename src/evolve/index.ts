/**
 * The evolution engine: evolves a program against an Evaluator, with the archive as its memory. It knows
 * nothing of τ², personas or fitness; PPol is one Problem + Evaluator pair (./ppol/).
 *
 *   const llm = createLlm({ config, store, runId, budget });                  // role "mutator" (+ the evaluator's roles)
 *   const result = await startEvolution(
 *     { store, problem, evaluator, mutator: llmMutator(llm, mutatorModels), signal, onEvent, version },
 *     { runId, options: { iterations: 70, parallel: 4, seed: 42, objective: "pareto" }, config },
 *   );                                                                         // or resumeEvolution(deps, runId, { parallel })
 *   summarizeEvolution(store, runId);                                          // --json, `ppol run show`
 *
 * PPol (src/evolve/ppol/, re-exported below) is the one part that knows τ², personas and fitness:
 * ppolProblem (the seed program, system prompt, the five mutation angles of ppol-method §5, the static
 * check) and ppolEvaluator (prepare: the discriminator bootstrap; evaluate: the sliding batch → personas
 * → episodes → HL/Cov/score and a reflection; validate: the held-out split), driven by
 * startPpolEvolution / resumePpolEvolution for `ppol evolve`.
 *
 * Options (EvolveOptions, reference defaults): iterations 70, islands 5, slots = islands, population 50,
 * archive 100, migration_interval 5, migration_rate 0.2, elite_ratio 0.2, exploration 0.2,
 * exploitation 0.7, selection "ppol", grid_bins 5, objective "scalar" | "pareto", top_programs 2,
 * inspirations 2, novelty_threshold 0.98, max_proposals 4, full_rewrite_fallback false, feedback_chars
 * 3000, early_stop 20, validation_threshold 0.7, parallel 1, seed 42, evaluation_timeout_ms 30 min,
 * mutator_temperature 1.0, mutator_max_tokens 8192, mutator_bandit false.
 *
 * Guarantees: every program is in the archive (evolve_programs) the moment it is proposed, with its
 * evaluation written as soon as it ends; the same seed gives the same archive at any `parallel`; kill -9
 * then resume loses no finished evaluation and repeats none; with `--llm-cache ro` and no server a finished
 * run replays to the same programs, metrics and final choice. BudgetExhausted ends the run as
 * "interrupted"; any other error thrown by the mutator or evaluator marks it "failed" and is rethrown.
 */
export { MutatorBandit } from "./bandit.ts";
export { ProgramDatabase } from "./database.ts";
export { applyEdits, evolveRegions, parseEditBlocks, spliceRewrite, type EditBlock } from "./diff.ts";
export { cellOf, Grid } from "./grid.ts";
export type { Entry, Island } from "./island.ts";
export { resumeEvolution, startEvolution, type EvolveDeps, type EvolveEvent, type EvolveResult, type StopReason } from "./loop.ts";
export { llmMutator } from "./mutator.ts";
export { migratesAfter, planMigration, type Migration } from "./migrate.ts";
export { nearDuplicate, similarity, tokenSignature } from "./novelty.ts";
export { crowdingDistances, nonDominatedRanks, paretoFitness, paretoFront } from "./pareto.ts";
export { mutatorMessages } from "./prompt.ts";
export { deriveSeed, iterationOf, toProgram } from "./records.ts";
export { parentContext, selectParent } from "./select.ts";
export { summarizeEvolution, type EvolveSummary, type ProgramBrief } from "./summary.ts";
export * from "./types.ts";
export * from "./ppol/index.ts";
