import { z } from "zod";
import { EpisodeMessage, EpisodeRetry, Termination } from "../model/index.ts";
import type { Store } from "./db.ts";

export const EpisodeEvaluationStatus = z.enum(["evaluated", "not_evaluated", "failed"]);
export type EpisodeEvaluationStatus = z.infer<typeof EpisodeEvaluationStatus>;

/** An episode as stored: everything needed to re-score, export or resume. */
export const EpisodeRecord = z.object({
  id: z.string(),
  run_id: z.string(),
  ordinal: z.int(),
  domain: z.string(),
  task_id: z.string(),
  trial: z.int(),
  persona_key: z.string(),
  persona_text: z.string().nullable(),
  seed: z.int().nullable(),
  agent_model: z.string().nullable(),
  user_model: z.string().nullable(),
  termination: Termination,
  reward: z.number().nullable(),
  reward_info: z.record(z.string(), z.unknown()),
  steps: z.int(),
  tool_errors: z.int(),
  user_turns: z.int(),
  messages: z.array(EpisodeMessage),
  fidelity: z.array(z.object({ turn: z.int(), kind: z.string(), evidence: z.string() })),
  llm_calls: z.int(),
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
  error: z.string().nullable(),
  /** Attempts whose output could not be parsed (the episode was re-run after each but the last). */
  retries: z.array(EpisodeRetry).default([]),
  /** Which guidelines text the user simulator saw (null in archives older than migration 8). */
  user_guidelines_sha256: z.string().nullable().default(null),
  /** Scored, not evaluated (nobody could check a basis component), or failed (redone by --resume). */
  evaluation: EpisodeEvaluationStatus.default("evaluated"),
  ms: z.number(),
  created_at: z.string(),
});
export type EpisodeRecord = z.infer<typeof EpisodeRecord>;
/** What a writer gives: fields added by later migrations may be left out (their defaults apply). */
export type EpisodeRecordInput = z.input<typeof EpisodeRecord>;

export function insertEpisode(store: Store, input: EpisodeRecordInput) {
  const e = EpisodeRecord.parse(input);
  store.tx(() =>
    store.db
      .query(
        // REPLACE: a resumed run re-does episodes that ended in an infrastructure error or a failed evaluation.
        `INSERT OR REPLACE INTO episodes (id, run_id, ordinal, domain, task_id, trial, persona_key, persona_text, seed, agent_model, user_model,
          termination, reward, reward_json, steps, tool_errors, user_turns, messages_json, fidelity_json, fidelity_flags,
          llm_calls, prompt_tokens, completion_tokens, error, retries_json, user_guidelines_sha256, evaluation, ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.id, e.run_id, e.ordinal, e.domain, e.task_id, e.trial, e.persona_key, e.persona_text, e.seed, e.agent_model, e.user_model,
        e.termination, e.reward, JSON.stringify(e.reward_info), e.steps, e.tool_errors, e.user_turns, JSON.stringify(e.messages),
        JSON.stringify(e.fidelity), e.fidelity.length, e.llm_calls, e.prompt_tokens, e.completion_tokens, e.error, JSON.stringify(e.retries),
        e.user_guidelines_sha256, e.evaluation, e.ms, e.created_at,
      ),
  );
}

export function listEpisodes(store: Store, runId: string): EpisodeRecord[] {
  const rows = store.db.query("SELECT * FROM episodes WHERE run_id = ? ORDER BY ordinal").all(runId) as Record<string, any>[];
  return rows.map((r) =>
    EpisodeRecord.parse({
      ...r,
      reward_info: JSON.parse(r.reward_json),
      messages: JSON.parse(r.messages_json),
      fidelity: JSON.parse(r.fidelity_json),
      retries: JSON.parse(r.retries_json),
    }),
  );
}

/** Ids of the episodes a run has finished (what --resume skips); infrastructure failures and failed evaluations are redone. */
export function finishedEpisodeIds(store: Store, runId: string): Set<string> {
  return new Set((store.db.query("SELECT id FROM episodes WHERE run_id = ? AND termination != 'infrastructure_error' AND evaluation != 'failed'").all(runId) as { id: string }[]).map((r) => r.id));
}

/** The per-episode numbers a run summary needs, without parsing transcripts. */
export function listEpisodeSummaries(store: Store, runId: string) {
  return store.db
    .query(
      `SELECT id, task_id, persona_key, reward, termination, evaluation, user_turns, fidelity_flags, prompt_tokens, completion_tokens
       FROM episodes WHERE run_id = ? ORDER BY ordinal`,
    )
    .all(runId) as {
    id: string;
    task_id: string;
    persona_key: string;
    reward: number | null;
    termination: string;
    evaluation: EpisodeEvaluationStatus;
    user_turns: number;
    fidelity_flags: number;
    prompt_tokens: number;
    completion_tokens: number;
  }[];
}
