/** Blinded study tables (migration 011): a study, its blinded items, its annotators and their answers. */
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { Store } from "./db.ts";

export const ShownMessage = z.object({ speaker: z.enum(["customer", "agent"]), text: z.string() });
export type ShownMessage = z.infer<typeof ShownMessage>;

export const Judgment = z.enum(["human", "simulator"]);
export type Judgment = z.infer<typeof Judgment>;

export interface NewStudy {
  name: string;
  humanSet: string;
  sources: string[];
  seed: number;
  items: { item: number; condition: string; sourceRef: string; messages: ShownMessage[] }[];
  annotators: { annotator: number; token: string; order: number[] }[];
  now: Date;
}

export const StudyRow = z.object({ name: z.string(), human_set: z.string(), sources_json: z.string(), seed: z.int(), created_at: z.string() });
export type StudyRow = z.infer<typeof StudyRow>;

export function saveStudy(store: Store, s: NewStudy) {
  store.tx(() => {
    if (getStudy(store, s.name)) throw new InputError(`a study named "${s.name}" already exists`, "choose another --name");
    store.db.query("INSERT INTO studies (name, human_set, sources_json, seed, created_at) VALUES (?, ?, ?, ?, ?)").run(s.name, s.humanSet, JSON.stringify(s.sources), s.seed, s.now.toISOString());
    const item = store.db.query("INSERT INTO study_items (study, item, condition, source_ref, messages_json) VALUES (?, ?, ?, ?, ?)");
    for (const i of s.items) item.run(s.name, i.item, i.condition, i.sourceRef, JSON.stringify(i.messages));
    const annotator = store.db.query("INSERT INTO study_annotators (study, annotator, token, order_json) VALUES (?, ?, ?, ?)");
    for (const a of s.annotators) annotator.run(s.name, a.annotator, a.token, JSON.stringify(a.order));
  });
}

export function getStudy(store: Store, name: string): StudyRow | undefined {
  const r = store.db.query("SELECT * FROM studies WHERE name = ?").get(name);
  return r ? StudyRow.parse(r) : undefined;
}

export function listStudies(store: Store): (StudyRow & { items: number; annotators: number; answers: number })[] {
  return (
    store.db
      .query(
        `SELECT s.*, (SELECT count(*) FROM study_items i WHERE i.study = s.name) AS items, (SELECT count(*) FROM study_annotators a WHERE a.study = s.name) AS annotators,
          (SELECT count(*) FROM study_answers x WHERE x.study = s.name) AS answers FROM studies s ORDER BY s.created_at DESC, s.name`,
      )
      .all() as Record<string, unknown>[]
  ).map((r) => ({ ...StudyRow.parse(r), items: Number(r.items), annotators: Number(r.annotators), answers: Number(r.answers) }));
}

export interface AnnotatorSession {
  study: string;
  annotator: number;
  order: number[];
}

/** The annotator a link token belongs to (undefined for an unknown token). */
export function annotatorByToken(store: Store, token: string): AnnotatorSession | undefined {
  const r = store.db.query("SELECT study, annotator, order_json FROM study_annotators WHERE token = ?").get(token) as { study: string; annotator: number; order_json: string } | null;
  return r ? { study: r.study, annotator: r.annotator, order: z.array(z.int()).parse(JSON.parse(r.order_json)) } : undefined;
}

export function studyAnnotatorLinks(store: Store, study: string): { annotator: number; token: string }[] {
  return store.db.query("SELECT annotator, token FROM study_annotators WHERE study = ? ORDER BY annotator").all(study) as never;
}

/** The blinded dialogue of one item: all an annotator ever sees of it. */
export function studyItemMessages(store: Store, study: string, item: number): ShownMessage[] | undefined {
  const r = store.db.query("SELECT messages_json FROM study_items WHERE study = ? AND item = ?").get(study, item) as { messages_json: string } | null;
  return r ? z.array(ShownMessage).parse(JSON.parse(r.messages_json)) : undefined;
}

export const StudyAnswer = z.object({ annotator: z.int(), item: z.int(), judgment: Judgment, confidence: z.int().min(1).max(5), comment: z.string() });
export type StudyAnswer = z.infer<typeof StudyAnswer>;

/** Record (or revise) one answer. */
export function saveStudyAnswer(store: Store, study: string, a: StudyAnswer, now: Date) {
  store.db
    .query(
      `INSERT INTO study_answers (study, annotator, item, judgment, confidence, comment, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (study, annotator, item) DO UPDATE SET judgment = excluded.judgment, confidence = excluded.confidence, comment = excluded.comment, answered_at = excluded.answered_at`,
    )
    .run(study, a.annotator, a.item, a.judgment, a.confidence, a.comment, now.toISOString());
}

export function annotatorAnswers(store: Store, study: string, annotator: number): StudyAnswer[] {
  return store.db
    .query("SELECT annotator, item, judgment, confidence, comment FROM study_answers WHERE study = ? AND annotator = ? ORDER BY item")
    .all(study, annotator)
    .map((r) => StudyAnswer.parse(r));
}

/** Everything the results need: which condition each item is, who exists, every answer. */
export function studyData(store: Store, study: string): { items: { item: number; condition: string }[]; annotators: number[]; answers: StudyAnswer[] } {
  return {
    items: store.db.query("SELECT item, condition FROM study_items WHERE study = ? ORDER BY item").all(study) as never,
    annotators: (store.db.query("SELECT annotator FROM study_annotators WHERE study = ? ORDER BY annotator").all(study) as { annotator: number }[]).map((r) => r.annotator),
    answers: store.db.query("SELECT annotator, item, judgment, confidence, comment FROM study_answers WHERE study = ? ORDER BY annotator, item").all(study).map((r) => StudyAnswer.parse(r)),
  };
}
