/**
 * Episodes: τ² conversations between an LLM agent and an LLM user simulator (with or without a persona),
 * scored by the τ² evaluator and checked for goal fidelity.
 *
 *   const plan = planEpisodes({ runId, taskIds, personas, trials, seed });   // deterministic, resumable
 *   await simulate({ store, llm, runId, domain, tools, plan, done, maxSteps, concurrency, ... });
 *   summarize(episodes)                                                      // pass^k, rewards, terminations, fidelity
 *   runEpisode({ llm, env, agentSystemPrompt, userSystemPrompt, maxSteps })  // one conversation, no scoring
 *   checkFidelity({ scenario, messages })                                    // invented facts and goals
 */
export { EpisodeMessage, EpisodeToolCall, Termination, type EpisodeOutcome } from "./episode.ts";
export { episodeToConversation, runConversations } from "./export.ts";
export { checkFidelity, fidelityFlagRate, GOALS, type FidelityFlag, type FidelityInput, type FidelityKind } from "./fidelity.ts";
export { judgeNewGoals, mergeFlags } from "./fidelity-judge.ts";
export { extractIdentifiers, type Identifier, type IdentifierKind } from "./identifiers.ts";
export { llmJudge } from "./judge.ts";
export { agentView, runEpisode, userView, type EpisodeEnvironment, type EpisodeSpec } from "./orchestrator.ts";
export { loadPersonas, personasFor } from "./personas-source.ts";
export { NO_PERSONA, planEpisodes, runPool, trialSeed, type PersonaRef, type PlannedEpisode } from "./plan.ts";
export { AGENT_GREETING, agentSystemPrompt, personaBlock, renderScenario, STOP_TOKENS, stopTokenIn, userSystemPrompt, type ScenarioInstructions, type UserScenario } from "./prompts.ts";
export { MAX_INFRASTRUCTURE_FAILURES_IN_A_ROW, simulate, type SimulateOptions } from "./simulate.ts";
export { isSuccess, summarize, type EpisodeSummaryInput, type RunSummary } from "./summary.ts";
