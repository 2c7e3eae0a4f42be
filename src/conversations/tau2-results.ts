/**
 * Upstream τ²-bench results files (`tau2 run --save-to …`, the monolithic JSON form of `Results`):
 * `{timestamp, info: {agent_info, user_info, environment_info: {domain_name}, …}, tasks, simulations: [
 * {id, task_id, trial, seed, termination_reason, reward_info: {reward}, messages: [...]}]}`. Messages are
 * system / user / assistant (content, tool_calls) / tool (id, content) / multi-tool (tool_messages).
 * Each simulation becomes one conversation, like a ppol episode exported to JSONL: system messages dropped,
 * an assistant turn that only called tools kept with empty text, the calls themselves in meta.tool_calls.
 */
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { Conversation, Message } from "../model/index.ts";

const ToolCall = z.looseObject({ id: z.string().optional(), name: z.string(), arguments: z.unknown() });
const ToolMessage = z.looseObject({ role: z.literal("tool"), id: z.string().optional(), content: z.string().nullish(), error: z.boolean().optional() });
const RawMessage = z.union([
  z.looseObject({ role: z.literal("system"), content: z.string().nullish() }),
  z.looseObject({ role: z.enum(["user", "assistant"]), content: z.string().nullish(), tool_calls: z.array(ToolCall).nullish() }),
  ToolMessage.extend({ tool_messages: z.undefined().optional() }),
  z.looseObject({ role: z.literal("tool"), tool_messages: z.array(ToolMessage) }),
]);

const Simulation = z.looseObject({
  id: z.string(),
  task_id: z.union([z.string(), z.number()]).transform(String),
  trial: z.int().nullish(),
  seed: z.int().nullish(),
  termination_reason: z.string(),
  reward_info: z.looseObject({ reward: z.number() }).nullish(),
  agent_cost: z.number().nullish(),
  user_cost: z.number().nullish(),
  messages: z.array(RawMessage).nullish(),
});

const Results = z.looseObject({
  info: z.looseObject({
    agent_info: z.looseObject({ llm: z.string().nullish() }).optional(),
    user_info: z.looseObject({ llm: z.string().nullish() }).optional(),
    environment_info: z.looseObject({ domain_name: z.string() }).optional(),
  }),
  tasks: z.array(z.unknown()),
  simulations: z.array(Simulation),
});

/** Does this text look like a τ² results file? (The top-level keys pydantic writes first.) */
export function looksLikeTau2Results(head: string): boolean {
  return /^\{\s*(?:"timestamp"\s*:\s*(?:"[^"]*"|null)\s*,\s*)?"info"\s*:\s*\{\s*"git_commit"/.test(head);
}

export function parseTau2Results(text: string, file: string, opts: { domain?: string; source?: string }): Conversation[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, "a τ² results file is the JSON `tau2 run` saves");
  }
  const parsed = Results.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${file}: not a τ²-bench results file (field ${issue.path.join(".") || "(top level)"}: ${issue.message})`, "expected {info, tasks, simulations: [{id, task_id, messages, …}]} as `tau2 run` saves it; pick another --format for other files");
  }
  const results = parsed.data;
  const fileDomain = results.info.environment_info?.domain_name;
  if (opts.domain && fileDomain && fileDomain !== opts.domain) return [];
  const domain = fileDomain ?? opts.domain;
  if (results.simulations.length === 0 && Array.isArray((raw as { simulation_index?: unknown }).simulation_index))
    throw new InputError(`${file}: a directory-format τ² results file (simulations are in simulations/*.json beside it)`, "re-save the run as one JSON file (`Results.save(path, format=\"json\")`), then import that");
  return results.simulations.map((sim) => {
    const messages: Message[] = [];
    const toolCalls: { turn: number; name: string; arguments: unknown }[] = [];
    for (const m of sim.messages ?? []) {
      if (m.role === "system") continue;
      if (m.role === "tool") {
        const tools = "tool_messages" in m && m.tool_messages ? m.tool_messages : [m as z.infer<typeof ToolMessage>];
        for (const t of tools) messages.push({ role: "tool", content: t.content ?? "" });
        continue;
      }
      const calls = "tool_calls" in m ? (m.tool_calls ?? []) : [];
      for (const c of calls) toolCalls.push({ turn: messages.length, name: c.name, arguments: c.arguments });
      messages.push({ role: m.role, content: m.content ?? "" });
    }
    return {
      id: sim.id,
      source: opts.source ?? "simulator",
      ...(domain ? { domain } : {}),
      task_id: sim.task_id,
      messages,
      meta: {
        trial: sim.trial ?? null,
        seed: sim.seed ?? null,
        reward: sim.reward_info?.reward ?? null,
        termination: sim.termination_reason,
        agent_model: results.info.agent_info?.llm ?? null,
        user_model: results.info.user_info?.llm ?? null,
        agent_cost: sim.agent_cost ?? null,
        user_cost: sim.user_cost ?? null,
        tool_calls: toolCalls,
      },
    };
  });
}
