/**
 * Placeholders in a replay archive: rows that make a resumed run skip the units its original never
 * finished (an interrupted run) or that no replay can redo (what a dead model server or a timeout
 * decided). After the replay they are swapped for the bundle's stored rows with copyOutputItems.
 */
import type { Store } from "./db.ts";

const NOTE = "bundle replay placeholder";

/** Episodes a resume must not run: stored as finished, with nothing in them. */
export function insertPlaceholderEpisodes(store: Store, runId: string, ids: readonly string[]) {
  if (!ids.length) return;
  const put = store.db.query(
    `INSERT INTO episodes (id, run_id, ordinal, domain, task_id, trial, persona_key, termination, reward_json, steps, tool_errors, user_turns,
       messages_json, fidelity_json, fidelity_flags, llm_calls, prompt_tokens, completion_tokens, error, ms, created_at)
     VALUES (?, ?, -1, '', '', 0, ?, 'agent_stop', '{}', 0, 0, 0, '[]', '[]', 0, 0, 0, 0, '${NOTE}', 0, '')`,
  );
  // persona_key takes the id: (run, task, trial, persona) is unique.
  store.tx(() => ids.forEach((id) => put.run(id, runId, id)));
}

/** Persona tasks a resume must not generate. */
export function insertPlaceholderPersonaTasks(store: Store, r: { runId: string; taskIds: readonly string[]; programSha: string; domain: string; n: number }) {
  if (!r.taskIds.length) return;
  const put = store.db.query(
    `INSERT INTO persona_tasks (run_id, task_id, program_sha, domain, n, ok, error, failures_json, stdout, stderr, ms, created_at)
     VALUES (?, ?, ?, ?, ?, 0, '${NOTE}', '[]', '', '', 0, '')`,
  );
  store.tx(() => r.taskIds.forEach((taskId) => put.run(r.runId, taskId, r.programSha, r.domain, r.n)));
}
