/**
 * The reflection after a train evaluation (ppol-method §4.5): an LLM reads the metrics, every batch
 * task's scenario with its personas' HL and active behaviours, and the two most and two least human-like
 * episodes, and writes at most 300 words of feedback for the mutator. The prompt follows the structure of
 * the reference's (fitness.py) in ppol's words; it never shows Dice, and asks for no indices or names.
 */
import { FEATURE_NAMES, type Features } from "../../fitness/index.ts";
import type { Llm } from "../../llm/index.ts";
import type { ScoredEpisode } from "./score.ts";

export const REFLECTION = { temperature: 0.25, maxTokens: 2000, maxChars: 10_000, contextChars: 2200, personaChars: 1200, excerptMessages: 20, excerptChars: 2400 } as const;

export interface ReflectionInput {
  metrics: { score: number; hl: number; cov: number };
  tasks: { context: string; personas: { hl: number | null; behaviours: string[] }[] }[];
  episodes: readonly ScoredEpisode[];
}

const INSTRUCTIONS = `You review a batch of personas that a program wrote for simulated customers in support chats, and
the dialogues those simulated customers had. Write a short reflection (300 words at most) for the
person improving the program:
- explain how the customers' behaviour in the dialogues produced the metrics below;
- strengths: lines that read like a real person typed them, personas that stayed in character;
- weaknesses, with concrete observations, for example: the customer drifts from the persona's
  behaviour or contradicts it; roleplay that is too polished where people would type briefly and
  casually; customers who cooperate perfectly, with no typos, hesitation or push-back where a real
  person would show some;
- use the human-likeness probabilities and the behaviour features to say why personas scored high
  or low for their task, and which combinations of behaviours help or conflict;
- say which patterns to adopt and which to avoid when designing human-like personas.

Rules for your answer: never refer to tasks, samples or personas by number or label ("Task 2",
"sample 3", "p0"): describe the pattern instead. Do not use the customers' names: say "the user",
"one dialogue", "a chatty reply".`;

/** Two most human-like first, then the two least (each episode at most once). */
export function pickEpisodes(episodes: readonly ScoredEpisode[]): ScoredEpisode[] {
  const sorted = [...episodes].sort((a, b) => a.pHuman - b.pHuman);
  const picked = [...sorted.slice(-2).reverse(), ...sorted.slice(0, 2)];
  return picked.filter((e, i) => picked.indexOf(e) === i);
}

/** The first messages of a dialogue as ROLE: text lines; long agent messages keep only their ends. */
export function dialogueExcerpt(messages: readonly { role: string; content: string | null }[]): string {
  const lines: string[] = [];
  for (const m of messages.filter((x) => x.role === "user" || x.role === "assistant").slice(0, REFLECTION.excerptMessages)) {
    let text = m.content ?? "";
    if (!text.trim()) continue;
    if (m.role === "assistant" && text.length > 250) text = `${text.slice(0, 100)} ... ${text.slice(-100)}`;
    lines.push(`${m.role.toUpperCase()}: ${text}`);
  }
  return lines.join("\n").slice(0, REFLECTION.excerptChars);
}

function featureBlock(f: Features): string {
  const parts = [...FEATURE_NAMES].sort().map((n) => `${n}=${f[n].toFixed(3)}`);
  const rows: string[] = [];
  for (let i = 0; i < parts.length; i += 5) rows.push(`  ${parts.slice(i, i + 5).join("  ")}`);
  return rows.join("\n");
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}\n[...]` : text);

export function reflectionPrompt(input: ReflectionInput): string {
  const m = input.metrics;
  const metrics = [`- combined score: ${m.score.toFixed(4)}`, `- human likeness (HL, mean P(human)): ${m.hl.toFixed(4)}`, `- coverage of real users' behaviours (Cov): ${m.cov.toFixed(4)}`].join("\n");
  const tasks = input.tasks
    .map((t) => {
      const personas = t.personas.map((p) => `  - human likeness ${p.hl === null ? "n/a" : p.hl.toFixed(4)}; active behaviours: ${JSON.stringify(p.behaviours)}`);
      return `## Scenario\n${t.context.slice(0, REFLECTION.contextChars)}\nPersonas written for it:\n${personas.join("\n")}`;
    })
    .join("\n\n");
  const samples = pickEpisodes(input.episodes)
    .map((e) => `## Dialogue (human likeness ${e.pHuman.toFixed(4)})\nPersona:\n${clip(e.episode.persona_text ?? "", REFLECTION.personaChars)}\n\nBehaviour features:\n${featureBlock(e.features)}\n\nDialogue:\n${dialogueExcerpt(e.episode.messages)}`)
    .join("\n\n");
  return `${INSTRUCTIONS}\n\n---\n# Metrics\n${metrics}\n\n---\n# The scenarios of this batch\n${tasks}\n\n---\n# The most and the least human-like dialogues\n${samples}\n`;
}

/** Ask the reflector role; the text is capped. Errors propagate (the caller decides what they mean). */
export async function reflect(llm: Llm, input: ReflectionInput, seed: number): Promise<string> {
  const r = await llm.chat("reflector", { messages: [{ role: "user", content: reflectionPrompt(input) }], temperature: REFLECTION.temperature, maxTokens: REFLECTION.maxTokens, seed, sample: 0 });
  return r.content.trim().slice(0, REFLECTION.maxChars);
}
