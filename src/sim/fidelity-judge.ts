import { z } from "zod";
import type { Llm } from "../llm/index.ts";
import type { FidelityFlag } from "./fidelity.ts";

const Verdict = z.object({
  new_goals: z.array(z.object({ turn: z.int().nonnegative(), goal: z.string().min(1), quote: z.string().default("") })).default([]),
});

const SYSTEM = `You check a simulated customer against its scenario. The customer may talk in any style (terse,
rude, vague, typos), but must pursue ONLY the goals in the scenario. List every customer turn that asks for
something the scenario does not contain (a different order, a new booking, a refund the scenario does not
mention, an extra change, ...). Accepting an offer the agent made is not a new goal. Rephrasing a scenario
goal is not a new goal.
Answer with one JSON object: {"new_goals": [{"turn": <turn number>, "goal": "<short name>", "quote": "<customer words>"}]}
and {"new_goals": []} when there is none.`;

/**
 * The optional LLM half of the goal-fidelity check (judge role): goals the rules cannot name. Turn numbers
 * the judge invents, or that are not customer turns, are dropped: the judge may lie only about its verdict.
 */
export async function judgeNewGoals(llm: Llm, input: { scenario: string; messages: { role: string; content: string }[]; seed?: number }): Promise<FidelityFlag[]> {
  const lines = input.messages.flatMap((m, turn) => (m.role === "user" ? [`[${turn}] customer: ${m.content}`] : m.role === "assistant" && m.content ? [`[${turn}] agent: ${m.content}`] : []));
  if (!lines.some((l) => l.includes("] customer: "))) return [];
  const { value } = await llm.chatJson(
    "judge",
    {
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: `<scenario>\n${input.scenario}\n</scenario>\n\n<conversation>\n${lines.join("\n")}\n</conversation>` },
      ],
      temperature: 0,
      seed: input.seed,
    },
    Verdict,
  );
  return value.new_goals
    .filter((g) => input.messages[g.turn]?.role === "user")
    .map((g) => ({ turn: g.turn, kind: "new_goal" as const, evidence: `judge: ${g.goal}${g.quote ? `: "${g.quote.slice(0, 120)}"` : ""}` }));
}

/** Rule flags plus judge flags; a judge goal on a turn the rules already flagged as a new goal is not repeated. */
export function mergeFlags(rules: FidelityFlag[], judged: FidelityFlag[]): FidelityFlag[] {
  const ruleGoalTurns = new Set(rules.filter((f) => f.kind === "new_goal").map((f) => f.turn));
  return [...rules, ...judged.filter((f) => !ruleGoalTurns.has(f.turn))].sort((a, b) => a.turn - b.turn);
}
