/**
 * τ²-bench retail and airline, at parity with upstream (sierra-research/tau2-bench). Public surface:
 *
 *   const domain = loadDomain("retail", { dir, store })      // data dir wins, else the archive (source.ts)
 *   const tasks = splitTasks(domain, "test")                  // "base" = all
 *   const env = createEnvironment(domain)                     // fresh per-episode state, O(1) (copy-on-write)
 *   env.call("get_order_details", { order_id: "#W1" })        // → { content: string, error: boolean }
 *   toolSchemas(domain) / toolSchemas(domain, fileText, path) // our OpenAI schemas, or a --tool-schemas file
 *   await evaluateEpisode({ domain, task, messages, termination, judge })  // reward per reward_basis
 *   passHatK(trials)                                          // pass^k over trials
 *
 * Arguments may be plain JSON values or the raw JSON text of the LLM's call (keeps `1.0` a float, as
 * Python would). Tool results and errors are byte-identical to upstream's tool messages.
 */
import type { DbState } from "./environment.ts";
import type { Domain } from "./load.ts";
import { fromJs, loads, type Py } from "./py.ts";
import { newState } from "./replay.ts";
import { OWN_SCHEMAS, parseToolSchemaFile, type ToolSchema } from "./schemas.ts";
import type { ToolResult } from "./toolkit.ts";

export { DOMAIN_FILES, DOMAIN_NAMES, checkDomainName, loadDomainDir, parseDomain, splitTasks, type Domain, type DomainName } from "./load.ts";
/** Parse JSON the way Python's json.loads does (`1.0` stays a float, objects keep key order). */
export { loads as parsePyJson, type Py } from "./py.ts";
export { importDomains, loadDomain, type DomainSource } from "./source.ts";
export { evaluateEpisode, passHatK, judgeConversation, TERMINATION_REASONS, type EpisodeEvaluation, type NlJudge, type TerminationReason, type TrajectoryMessage } from "./evaluator.ts";
export { replay, replayLine, replayRecordingBugs, goldCalls, type ToolCall, type CallOutcome, type ReplayResult } from "./replay.ts";
export { Task, type Action, type RewardType } from "./schema.ts";
export type { ToolSchema } from "./schemas.ts";
export type { ToolResult } from "./toolkit.ts";

export interface Environment {
  readonly domain: Domain;
  readonly state: DbState;
  /** Run one tool call like upstream's `Environment.get_response`. */
  call(name: string, args: unknown): ToolResult;
  /** Whether the tool changes the DB (WRITE tools; what the evaluator replays). */
  mutates(name: string): boolean;
  /** Canonical hash of the current DB state. */
  hash(): string;
}

export function createEnvironment(domain: Domain): Environment {
  const state = newState(domain);
  return {
    domain,
    state,
    call: (name, args) => domain.toolkit.call(state, name, toPy(args)),
    mutates: (name) => domain.toolkit.isMutating(name),
    hash: () => state.hash(),
  };
}

function toPy(args: unknown): Py {
  if (typeof args !== "string") return fromJs(args);
  try {
    return loads(args);
  } catch {
    return args;
  }
}

/** The schemas shown to the agent: ours, or (with `file`) a user-supplied schema file's text. */
export function toolSchemas(domain: Domain, file?: { text: string; path: string }): ToolSchema[] {
  if (file) return parseToolSchemaFile(file.text, file.path, domain.name, domain.toolkit);
  return [...OWN_SCHEMAS[domain.name]];
}
