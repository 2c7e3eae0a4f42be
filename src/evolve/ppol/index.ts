/**
 * PPol on the engine: the persona-generator Problem and the evaluator (personas → τ² episodes →
 * fingerprints → HL/Cov/score, reflection, validation, the discriminator bootstrap), and the stage
 * `ppol evolve` calls. The only part of src/evolve that knows τ², personas and fitness.
 *
 *   const result = await startPpolEvolution(deps, { runId, domain, taskIds, human, program, engine, ppol, cues, … });
 *   await resumePpolEvolution(deps, runId, { parallel });
 */
export { baseRunIdOf, type BootstrapEvent } from "./bootstrap.ts";
export { evaluationRunId, trainBatchOf } from "./evaluator.ts";
export { parseEvolveSection, PpolOptions } from "./options.ts";
export { PpolPlan, PpolRunConfig } from "./plan.ts";
export { PPOL_MUTATION_ANGLES, PPOL_SYSTEM_PROMPT, ppolProblem } from "./problem.ts";
export { dialogueExcerpt, pickEpisodes, REFLECTION, reflectionPrompt, type ReflectionInput } from "./reflection.ts";
export { type PpolEvolveDeps, type PpolEvolveEvent, type PpolStart, resumePpolEvolution, startPpolEvolution } from "./run.ts";
export { holdOut, ITERATIONS_PER_STAGE, LARGE_TRAIN_POOL, personasPerTask, pythonShuffle, slidingBatch } from "./split.ts";
