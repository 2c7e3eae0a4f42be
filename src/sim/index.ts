/**
 * Episodes: τ² conversations between an LLM agent and an LLM user simulator (with or without a persona),
 * scored by the τ² evaluator and checked for goal fidelity.
 *
 *   startRun(deps, input) / resumeRun(deps, runId)                          // a simulate run: plan, create, execute, finish status
 *   runEpisodePlan(store, runId, plan, seed, cwd)                            // the episode ids a stored plan makes (bundle replays)
 *   resolvePersonas(spec, store, cwd)                                        // suite:NAME, a personas run, or a JSONL file
 *   const plan = planEpisodes({ runId, taskIds, personas, trials, seed });   // deterministic, resumable
 *   await simulate({ store, llm, runId, domain, tools, plan, done, maxSteps, concurrency, ... });
 *   summarize(episodes)                                                      // pass^k, rewards, terminations, fidelity
 *   runEpisode({ llm, env, agentSystemPrompt, userSystemPrompt, maxSteps })  // one conversation, no scoring
 *   runEpisodeAttempts(spec, { baseTemperature })                           // re-run while τ² could not parse an answer
 *   TRAIN_MAX_STEPS (20) / EVAL_MAX_STEPS (30) / TAU2_MAX_STEPS (200)       // step caps: PPol training, PPol evaluation, τ²
 *   checkFidelity({ scenario, messages })                                    // invented facts and goals
 */
export type { EpisodeOutcome } from "./episode.ts";
// Moved to conversations (a run's episodes are one of its sources); re-exported for cli/simulate.ts until it imports them from there.
export { checkFidelity, fidelityFlagRate, GOALS, type FidelityFlag, type FidelityInput, type FidelityKind } from "./fidelity.ts";
export { judgeNewGoals, mergeFlags } from "./fidelity-judge.ts";
export { extractIdentifiers, type Identifier, type IdentifierKind } from "./identifiers.ts";
export { llmJudge } from "./judge.ts";
export { AGENT_RETRY_TEMPERATURES, ATTEMPT_SAMPLE_STRIDE, MAX_EPISODE_ATTEMPTS, runEpisodeAttempts, type AttemptSpec } from "./attempts.ts";
export { agentView, EVAL_MAX_STEPS, runEpisode, TAU2_MAX_STEPS, TRAIN_MAX_STEPS, unparseableAgentReply, userView, type EpisodeEnvironment, type EpisodeSpec } from "./orchestrator.ts";
export { personasFor, planPersonas, resolvePersonas, type PersonasByTask, type ResolvedPersonas } from "./personas-source.ts";
export { readToolSchemaFile, RunPlan, runGuidelines, runTools, type ToolSchemaChoice } from "./run-plan.ts";
export { resumeRun, runEpisodePlan, startRun, type SimRunDeps, type SimRunResult, type SimulateInput } from "./run.ts";
export { NO_PERSONA, planEpisodes, trialSeed, type PersonaRef, type PlannedEpisode } from "./plan.ts";
export { AGENT_GREETING, agentSystemPrompt, personaBlock, PPOL_USER_GUIDELINES, STOP_TOKENS, stopTokenIn, userGuidelinesFor, userSystemPrompt, type UserGuidelines } from "./prompts.ts";
export { MAX_INFRASTRUCTURE_FAILURES_IN_A_ROW, simulate, type SimulateOptions } from "./simulate.ts";
export { isSuccess, summarize, type EpisodeSummaryInput, type RunSummary } from "./summary.ts";
