/**
 * Scoring one episode the way upstream's `evaluate_simulation` does: only user/agent stops score; the
 * reward is the product of the components named in the task's `reward_basis`. DB = the episode's
 * state-changing calls and the gold actions replayed on fresh environments, compared by state hash;
 * COMMUNICATE = substring rule; NL_ASSERTION = an injected judge (absent → "not evaluated", never 1).
 */
import type { Termination } from "../model/index.ts";
import type { Domain } from "./load.ts";
import { fromJs, loads, type Py } from "./py.ts";
import { eq } from "./pyops.ts";
import { newState, taskGoldCalls, type ToolCall } from "./replay.ts";
import type { RewardType, Task } from "./schema.ts";


/** One message of an episode, as much of it as scoring needs. */
export interface TrajectoryMessage {
  role: "system" | "assistant" | "user" | "tool";
  content?: string | null;
  /** Tool calls of this message; `arguments` as parsed JSON or as the raw JSON text (keeps `1.0` a float). */
  toolCalls?: readonly { name: string; arguments: unknown }[];
}

/** Grades NL assertions against a conversation; returns one verdict per assertion, in order. */
export type NlJudge = (request: { assertions: readonly string[]; conversation: string }) => Promise<readonly boolean[]>;

export type Component =
  | { status: "evaluated"; reward: number; detail?: unknown }
  | { status: "not evaluated"; reward: null; why: string };

export interface EpisodeEvaluation {
  /** Product of the basis components; null when a basis component could not be evaluated. */
  reward: number | null;
  success: boolean | null;
  basis: readonly RewardType[];
  components: Partial<Record<RewardType, Component>>;
  termination: Termination;
}

const args = (a: unknown): Py => (typeof a === "string" ? safeLoads(a) : fromJs(a));
function safeLoads(text: string): Py {
  try {
    return loads(text);
  } catch {
    return text; // upstream would have failed earlier; replaying it yields a tool error
  }
}

/** Every tool call of the trajectory, in order (assistant and user requestors alike). */
function trajectoryCalls(messages: readonly TrajectoryMessage[]): ToolCall[] {
  return messages.flatMap((m) => (m.toolCalls ?? []).map((c) => ({ name: c.name, arguments: args(c.arguments) })));
}

/** DB component: hash after the episode's mutating calls vs hash after all gold actions. */
function dbComponent(domain: Domain, task: Task, calls: readonly ToolCall[]): Component {
  const criteria = task.evaluation_criteria;
  // Upstream: no gold actions (null, not []) and no env assertions → nothing to compare, DB reward 1.
  if (criteria?.actions == null && criteria?.env_assertions == null) return { status: "evaluated", reward: 1, detail: { noGoldActions: true } };
  const predicted = newState(domain);
  for (const c of calls) {
    // Unknown and read-only tools are skipped, as in upstream's set_state replay.
    if (domain.toolkit.isMutating(c.name)) domain.toolkit.call(predicted, c.name, c.arguments);
  }
  const gold = newState(domain);
  for (const c of taskGoldCalls(task)) domain.toolkit.call(gold, c.name, c.arguments); // errors ignored
  const [goldHash, predictedHash] = [gold.hash(), predicted.hash()];
  return { status: "evaluated", reward: goldHash === predictedHash ? 1 : 0, detail: { goldHash, predictedHash } };
}

/** COMMUNICATE: each string, lower-cased, must occur in some assistant text with commas removed. */
function communicateComponent(task: Task, messages: readonly TrajectoryMessage[]): Component {
  const infos = task.evaluation_criteria?.communicate_info ?? [];
  const texts = messages.filter((m) => m.role === "assistant" && m.content).map((m) => m.content!.toLowerCase().replaceAll(",", ""));
  const found = infos.map((info) => texts.some((t) => t.includes(info.toLowerCase())));
  return { status: "evaluated", reward: found.every(Boolean) ? 1 : 0, detail: { found } };
}

/** ACTION (diagnostic): every gold action matched by some call with equal compared arguments. */
function actionComponent(task: Task, calls: readonly ToolCall[]): Component {
  const actions = task.evaluation_criteria?.actions ?? [];
  const matched = actions.map((a) =>
    calls.some((c) => {
      if (c.name !== a.name) return false;
      const keys = a.compare_args ?? (c.arguments instanceof Map ? [...c.arguments.keys()] : []);
      const gold = fromJs(a.arguments) as Map<string, Py>;
      const got = c.arguments instanceof Map ? c.arguments : new Map<string, Py>();
      return keys.every((k) => gold.has(k) === got.has(k) && (!gold.has(k) || eq(gold.get(k)!, got.get(k)!)));
    }),
  );
  return { status: "evaluated", reward: matched.every(Boolean) ? 1 : 0, detail: { matched } };
}

/** Upstream's judge input: one `role: content` line per message. */
function judgeConversation(messages: readonly TrajectoryMessage[]): string {
  return messages.map((m) => `${m.role}: ${m.content ?? "None"}`).join("\n");
}

async function nlComponent(task: Task, messages: readonly TrajectoryMessage[], judge?: NlJudge): Promise<Component> {
  const assertions = task.evaluation_criteria?.nl_assertions ?? [];
  if (assertions.length === 0) return { status: "evaluated", reward: 1 };
  if (!judge) return { status: "not evaluated", reward: null, why: "no NL-assertion judge configured" };
  const verdicts = await judge({ assertions, conversation: judgeConversation(messages) });
  return { status: "evaluated", reward: verdicts.length > 0 && verdicts.every(Boolean) ? 1 : 0, detail: { verdicts } };
}

export interface EvaluationInput {
  domain: Domain;
  task: Task;
  messages: readonly TrajectoryMessage[];
  termination: Termination;
  judge?: NlJudge;
}

export async function evaluateEpisode(input: EvaluationInput): Promise<EpisodeEvaluation> {
  const { domain, task, messages, termination } = input;
  const basis = task.evaluation_criteria?.reward_basis ?? ["DB", "COMMUNICATE"];
  if (termination !== "user_stop" && termination !== "agent_stop") {
    return { reward: 0, success: false, basis, components: {}, termination };
  }
  // Upstream scores a task without evaluation criteria as 1.
  if (!task.evaluation_criteria) return { reward: 1, success: true, basis, components: {}, termination };
  const calls = trajectoryCalls(messages);
  const components: Partial<Record<RewardType, Component>> = {
    DB: dbComponent(domain, task, calls),
    COMMUNICATE: communicateComponent(task, messages),
    ACTION: actionComponent(task, calls),
    // No env_assertions exist in these domains: nothing to check.
    ENV_ASSERTION: { status: "evaluated", reward: 1 },
  };
  // The judge costs an LLM call: only ask it when the basis needs it.
  components.NL_ASSERTION = basis.includes("NL_ASSERTION")
    ? await nlComponent(task, messages, input.judge)
    : { status: "not evaluated", reward: null, why: "not in reward_basis" };
  let reward: number | null = 1;
  for (const b of basis) {
    const c = components[b]!;
    reward = c.reward === null || reward === null ? null : reward * c.reward;
  }
  return { reward, success: reward === null ? null : Math.abs(reward - 1) <= 1e-6, basis, components, termination };
}

/**
 * pass^k as upstream computes it: k runs from 1 to the fewest trials any task has; each task contributes
 * C(c,k)/C(n,k) with ITS OWN trial count n and successes c; the value is the mean over tasks. With uneven
 * trial counts this differs from using one n for every task (which can exceed 1).
 */
export function passHatK(trials: readonly { taskId: string; success: boolean }[]): { k: number; value: number }[] {
  const byTask = new Map<string, { n: number; c: number }>();
  for (const t of trials) {
    const s = byTask.get(t.taskId) ?? byTask.set(t.taskId, { n: 0, c: 0 }).get(t.taskId)!;
    s.n++;
    if (t.success) s.c++;
  }
  if (byTask.size === 0) return [];
  const maxK = Math.min(...[...byTask.values()].map((s) => s.n));
  const out: { k: number; value: number }[] = [];
  for (let k = 1; k <= maxK; k++) {
    let total = 0;
    for (const { n, c } of byTask.values()) total += choose(c, k) / choose(n, k);
    out.push({ k, value: total / byTask.size });
  }
  return out;
}

function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}
