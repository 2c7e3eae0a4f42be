/**
 * A study's results from its answers, pure. The unit of analysis is the conversation: each one's share
 * of "human" judgments (annotators' votes on the same conversation are not independent). Per condition:
 * the mean share (% judged human) with its 95% t-interval; Welch's t-test for every pair of conditions;
 * Fleiss' κ over items × {human, simulator}; each annotator's accuracy (human ↔ the human condition).
 */
import { z } from "zod";
import type { StudyAnswer } from "../../store/index.ts";
import { fleissKappa, meanCi, welchTTest } from "./stats.ts";

export const HUMAN_CONDITION = "human";

const Num = z.number().nullable();
export const StudyResults = z.object({
  study: z.string(),
  items: z.int(),
  annotators: z.int(),
  answers: z.int(),
  conditions: z.array(
    z.object({ condition: z.string(), conversations: z.int(), judged: z.int(), judgments: z.int(), judged_human: Num, ci_low: Num, ci_high: Num, mean_confidence: Num }),
  ),
  comparisons: z.array(z.object({ a: z.string(), b: z.string(), t: z.number(), df: z.number(), p: z.number() })),
  fleiss_kappa: Num,
  per_annotator: z.array(z.object({ annotator: z.int(), answered: z.int(), accuracy: Num })),
});
export type StudyResults = z.infer<typeof StudyResults>;

export interface StudyInput {
  study: string;
  /** Condition order for the report (human first, then sources as given). */
  conditions: string[];
  items: { item: number; condition: string }[];
  annotators: number[];
  answers: StudyAnswer[];
}

export function studyResults(input: StudyInput): StudyResults {
  const conditionOf = new Map(input.items.map((i) => [i.item, i.condition]));
  const votes = new Map<number, { human: number; simulator: number }>(input.items.map((i) => [i.item, { human: 0, simulator: 0 }]));
  for (const a of input.answers) votes.get(a.item)![a.judgment]++;
  const shares = new Map<string, number[]>();
  for (const [item, v] of votes) {
    const n = v.human + v.simulator;
    if (!n) continue;
    const c = conditionOf.get(item)!;
    shares.set(c, [...(shares.get(c) ?? []), v.human / n]);
  }
  const conditions = input.conditions.map((condition) => {
    const s = shares.get(condition) ?? [];
    const ci = meanCi(s, [0, 1]);
    const answers = input.answers.filter((a) => conditionOf.get(a.item) === condition);
    return {
      condition,
      conversations: input.items.filter((i) => i.condition === condition).length,
      judged: s.length,
      judgments: answers.length,
      judged_human: ci.mean,
      ci_low: ci.low,
      ci_high: ci.high,
      mean_confidence: answers.length ? answers.reduce((t, a) => t + a.confidence, 0) / answers.length : null,
    };
  });
  const comparisons = input.conditions.flatMap((a, i) =>
    input.conditions.slice(i + 1).flatMap((b) => {
      const w = welchTTest(shares.get(a) ?? [], shares.get(b) ?? []);
      return w ? [{ a, b, ...w }] : [];
    }),
  );
  const perAnnotator = input.annotators.map((annotator) => {
    const mine = input.answers.filter((a) => a.annotator === annotator);
    const correct = mine.filter((a) => (a.judgment === "human") === (conditionOf.get(a.item) === HUMAN_CONDITION)).length;
    return { annotator, answered: mine.length, accuracy: mine.length ? correct / mine.length : null };
  });
  return StudyResults.parse({
    study: input.study,
    items: input.items.length,
    annotators: input.annotators.length,
    answers: input.answers.length,
    conditions,
    comparisons,
    fleiss_kappa: fleissKappa([...votes.values()].map((v) => [v.human, v.simulator])),
    per_annotator: perAnnotator,
  });
}
