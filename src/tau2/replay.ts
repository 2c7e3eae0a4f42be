/**
 * Replaying recorded tool calls on one fresh environment: the engine behind `ppol tau2 replay` (re-scoring,
 * debugging, parity checks against upstream) and the evaluator's gold states.
 */
import { DbState } from "./environment.ts";
import type { Domain } from "./load.ts";
import { dumps, fromJs, type Py, type PyDict } from "./py.ts";
import type { Task } from "./schema.ts";

export interface ToolCall {
  name: string;
  arguments: Py;
}
export interface CallOutcome extends ToolCall {
  error: boolean;
  content: string;
}
export interface ReplayResult {
  calls: CallOutcome[];
  /** Every record that differs from the initial DB: `{table: {key: record | null}}`. */
  diff: Record<string, Record<string, PyDict | null>>;
  state: DbState;
}

export function newState(domain: Domain): DbState {
  return new DbState(domain.base);
}

export function replay(domain: Domain, calls: readonly ToolCall[], state = newState(domain)): ReplayResult {
  const outcomes = calls.map((c) => ({ ...c, ...domain.toolkit.call(state, c.name, c.arguments) }));
  return { calls: outcomes, diff: state.diff(), state };
}

/**
 * Like `replay`, but a bug in ppol itself (a JS exception, not a Python-style tool error) is recorded on
 * that call as `internalError` instead of aborting the whole batch; callers must report it and fail.
 */
export function replayRecordingBugs(domain: Domain, calls: readonly ToolCall[]): ReplayResult & { internalErrors: string[] } {
  const state = newState(domain);
  const internalErrors: string[] = [];
  const outcomes = calls.map((c) => {
    try {
      return { ...c, ...domain.toolkit.call(state, c.name, c.arguments) };
    } catch (e) {
      internalErrors.push(`${c.name}: ${(e as Error).message}`);
      return { ...c, error: true, content: `Error: ppol internal error: ${(e as Error).message}` };
    }
  });
  return { calls: outcomes, diff: state.diff(), state, internalErrors };
}

/** A task's gold actions as tool calls. */
export function taskGoldCalls(task: Task): ToolCall[] {
  return (task.evaluation_criteria?.actions ?? []).map((a) => ({ name: a.name, arguments: fromJs(a.arguments) }));
}

/** The gold actions of the domain's task `taskId` (none for an unknown id). */
export function goldCalls(domain: Domain, taskId: string): ToolCall[] {
  const task = domain.tasks.find((t) => t.id === taskId);
  return task ? taskGoldCalls(task) : [];
}

/** One output line of `ppol tau2 replay`. */
export function replayLine(id: Py, result: ReplayResult): string {
  const calls = result.calls.map((c) => ({ name: c.name, arguments: c.arguments, error: c.error, content: c.content }));
  return dumps({ id, calls, diff: result.diff } as unknown as PyDict);
}
