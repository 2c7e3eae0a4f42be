/**
 * τ²-bench retail and airline, at parity with upstream (sierra-research/tau2-bench). Public surface:
 *
 *   const domain = loadDomainDir(dir, "retail")               // a data directory (upstream's layout)
 *   loadDomainFiles("retail", storedTexts, "archive:…")       // the texts an archive stored (the caller reads them)
 *   readDomainImports(dir)                                     // every domain of a folder, validated, with texts to store
 *   const tasks = splitTasks(domain, "test")                  // "base" = all
 *   const env = createEnvironment(domain)                     // fresh per-episode state, O(1) (copy-on-write)
 *   env.call("get_order_details", { order_id: "#W1" })        // → { content: string, error: boolean }
 *   agentTools(domain, choice?)                               // the agent's OpenAI schemas: a file, ppol's, or the data folder's
 *   renderScenario(task.user_scenario)                        // the scenario text exactly as τ² renders it
 *   await evaluateEpisode({ domain, task, messages, termination, judge })  // reward per reward_basis
 *   passHatK(trials)                                          // pass^k over trials
 *
 * Arguments may be plain JSON values or the raw JSON text of the LLM's call (keeps `1.0` a float, as
 * Python would). Tool results and errors are byte-identical to upstream's tool messages.
 */
import { sha256 } from "../hash.ts";
import type { DbState } from "./environment.ts";
import type { Domain } from "./load.ts";
import { fromJs, loads, type Py } from "./py.ts";
import { newState } from "./replay.ts";
import { OWN_SCHEMAS, parseToolSchemaFile, type ToolSchema } from "./schemas.ts";
import type { ToolResult } from "./toolkit.ts";

export { DOMAIN_FILES, TOOL_SCHEMAS_FILE, USER_GUIDELINES_FILE, checkDomainName, loadDomainDir, parseDomain, splitTasks, type DataFile, type Domain } from "./load.ts";
export { DOMAIN_NAMES, type DomainName } from "./schema.ts";
export { renderScenario } from "./scenario.ts";
/** Parse JSON the way Python's json.loads does (`1.0` stays a float, objects keep key order). */
export { loads as parsePyJson, type Py } from "./py.ts";
export { type DomainImport, loadDomainFiles, readDomainImports } from "./source.ts";
export { evaluateEpisode, passHatK, type EpisodeEvaluation, type NlJudge, type TrajectoryMessage } from "./evaluator.ts";
export { replay, replayLine, replayRecordingBugs, goldCalls, type ToolCall, type CallOutcome, type ReplayResult } from "./replay.ts";
export { Task, UserScenario, type Action, type RewardType } from "./schema.ts";
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

/** The tool schemas the agent sees, and where they came from (sha256 of the file; null for ppol's own). */
export interface AgentTools {
  schemas: ToolSchema[];
  source: string;
  sha256: string | null;
}

/**
 * `file`: a schema file the user names (--tool-schemas); "ppol": ppol's own; left out: the data folder's
 * tool_schemas.json (imported or beside the domains) when there is one, else ppol's own. ppol's own have
 * upstream's structure, so either way the agent sees τ²'s tools; a dump adds upstream's descriptions.
 */
export function agentTools(domain: Domain, choice?: { text: string; path: string } | "ppol"): AgentTools {
  if (choice && choice !== "ppol") return { schemas: parseToolSchemaFile(choice.text, choice.path, domain.name, domain.toolkit), source: choice.path, sha256: sha256(choice.text) };
  if (!choice && domain.toolSchemaFile) return { schemas: domain.toolSchemaFile.schemas, source: domain.toolSchemaFile.source, sha256: domain.toolSchemaFile.sha256 };
  return { schemas: [...OWN_SCHEMAS[domain.name]], source: "ppol", sha256: null };
}
