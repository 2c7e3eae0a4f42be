/** Study reads and writes for the server and the CLI: results from the archive, one annotator's progress, one answer. */
import { z } from "zod";
import { InputError } from "../../errors.ts";
import { annotatorAnswers, annotatorByToken, getStudy, saveStudyAnswer, studyData, studyItemMessages, type AnnotatorSession, type ShownMessage, type Store, type StudyAnswer } from "../../store/index.ts";
import { HUMAN_CONDITION, type StudyResults, studyResults } from "./results.ts";

export function resultsOf(store: Store, name: string): StudyResults {
  const study = getStudy(store, name);
  if (!study) throw new InputError(`no study named "${name}"`, "list studies in the web UI (/studies) or create one with `ppol study create`");
  const data = studyData(store, name);
  return studyResults({ study: name, conditions: [HUMAN_CONDITION, ...(JSON.parse(study.sources_json) as string[])], ...data });
}

/** Every answer with its condition and correctness, for CSV export. */
export function answerRows(store: Store, name: string): { annotator: number; item: number; condition: string; judgment: string; confidence: number; correct: boolean; comment: string }[] {
  const { items, answers } = studyData(store, name);
  const condition = new Map(items.map((i) => [i.item, i.condition]));
  return answers.map((a) => ({ ...a, condition: condition.get(a.item)!, correct: (a.judgment === "human") === (condition.get(a.item) === HUMAN_CONDITION) }));
}

export interface AnnotatorView {
  session: AnnotatorSession;
  /** Answered or not, by position in this annotator's order. */
  answered: boolean[];
  answers: Map<number, StudyAnswer>;
}

export function annotatorView(store: Store, token: string): AnnotatorView | undefined {
  const session = annotatorByToken(store, token);
  if (!session) return undefined;
  const answers = new Map(annotatorAnswers(store, session.study, session.annotator).map((a) => [a.item, a]));
  return { session, answered: session.order.map((item) => answers.has(item)), answers };
}

/** The item at a 1-based position of the annotator's order, with what it shows. */
export function itemAt(store: Store, view: AnnotatorView, position: number): { item: number; messages: ShownMessage[] } | undefined {
  const item = view.session.order[position - 1];
  if (item === undefined) return undefined;
  const messages = studyItemMessages(store, view.session.study, item);
  return messages ? { item, messages } : undefined;
}

export const AnswerInput = z.object({
  judgment: z.enum(["human", "simulator"]),
  confidence: z.coerce.number().int().min(1).max(5),
  comment: z.string().max(2000).default(""),
});

export function recordAnswer(store: Store, view: AnnotatorView, position: number, input: z.infer<typeof AnswerInput>, now: Date) {
  const item = view.session.order[position - 1];
  if (item === undefined) throw new InputError(`position ${position} is not in this study`, `use 1 to ${view.session.order.length}`);
  saveStudyAnswer(store, view.session.study, { annotator: view.session.annotator, item, judgment: input.judgment, confidence: input.confidence, comment: input.comment.trim() }, now);
}
