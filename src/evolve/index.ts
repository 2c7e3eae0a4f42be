/**
 * The evolution engine: evolves a program against an Evaluator, with the archive as its memory. It knows
 * nothing of τ², personas or fitness; PPol is one Problem + Evaluator pair.
 *
 *   const llm = createLlm({ config, store, runId, budget });                  // role "mutator" (+ the evaluator's roles)
 *   const result = await startEvolution(
 *     { store, problem, evaluator, mutator: llmMutator(llm, mutatorModels), signal, onEvent, version },
 *     { runId, options: { iterations: 70, parallel: 4, seed: 42, objective: "pareto" }, config },
 *   );                                                                         // or resumeEvolution(deps, runId, { parallel })
 *   summarizeEvolution(store, runId);                                          // --json, `ppol run show`
 *
 * How PPol plugs in (the lead's part):
 * - Problem: { seed: SEED_PROGRAMS.ppol.code or --program FILE, systemPrompt, mutationAngles: the five
 *   angles of ppol-method §5, check: personas.staticCheck (syntax + contract, no LLM) → {ok} | {ok:false, error} }.
 * - Evaluator: evaluate(program, ctx) runs the sliding batch (personas → episodes → fingerprint) and returns
 *   { status: "evaluated", metrics: { score, hl, cov, … }, descriptors: [HL, Cov], objectives: [HL, Cov,
 *   1 − flag rate], artifacts: { reflection } } or { status: "failed", error } for a program at fault;
 *   validate(program, ctx) runs the held-out split (N = 10, 30 steps, λ 0.5/0.5). Use ctx.seed for its
 *   LLM seeds/samples and honour ctx.signal (kill the sandbox). Throw only for infrastructure (budget,
 *   server): the run stops and resume redoes that evaluation.
 * - CLI `ppol evolve`: flags → EvolveOptions (names below), onEvent → the live view (Progress), SIGINT →
 *   signal, result.status "interrupted" → print `ppol evolve --resume RUN`; `--out` writes result.final.code
 *   with writeFileAtomic; mutatorModels = roleConfig(config, "mutator").targets.map((t) => t.model).
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
export { deriveSeed } from "./records.ts";
export { parentContext, selectParent } from "./select.ts";
export { summarizeEvolution, type EvolveSummary, type ProgramBrief } from "./summary.ts";
export * from "./types.ts";
