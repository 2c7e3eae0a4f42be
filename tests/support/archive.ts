/** Fixture builders for archive rows: runs, episodes and personas written through the store's own queries. */
import { createRun, type EpisodeRecordInput, insertEpisode, savePersonaProgram, savePersonaTask, type Store } from "../../src/store/index.ts";

const NOW = new Date("2026-12-01T09:00:00Z");

export function addRun(store: Store, id: string, kind: "simulate" | "personas", config: unknown = { plan: { tool_schemas: null } }) {
  createRun(store, { id, kind, config, seed: 42, version: "test", now: NOW });
}

/** A stored episode with every column filled; override what the test is about. */
export function episodeRecord(o: Partial<EpisodeRecordInput> & Pick<EpisodeRecordInput, "run_id" | "task_id">): EpisodeRecordInput {
  const persona = o.persona_key ?? "";
  const trial = o.trial ?? 0;
  return {
    id: `${o.run_id}:${o.task_id}:${persona || "base"}:${trial}`,
    ordinal: 0,
    domain: "airline",
    trial,
    persona_key: persona,
    persona_text: null,
    seed: 1,
    agent_model: "agent-m",
    user_model: "user-m",
    termination: "user_stop",
    reward: 1,
    reward_info: {},
    steps: 4,
    tool_errors: 0,
    user_turns: 2,
    messages: [
      { role: "assistant", content: "Hi! How can I help you today?", turn: 0 },
      { role: "user", content: "hello", turn: 1 },
      { role: "assistant", content: "Sure.", turn: 2 },
      { role: "user", content: "###STOP###", turn: 3 },
    ],
    fidelity: [],
    llm_calls: 2,
    prompt_tokens: 100,
    completion_tokens: 10,
    error: null,
    retries: [],
    user_guidelines_sha256: null,
    ms: 5,
    created_at: NOW.toISOString(),
    ...o,
  };
}

export function addEpisodes(store: Store, episodes: readonly EpisodeRecordInput[]) {
  store.tx(() => episodes.forEach((e, i) => insertEpisode(store, { ...e, ordinal: e.ordinal || i })));
}

/** A personas run with one program and the given personas per task. */
export function addPersonasRun(store: Store, runId: string, program: { code: string; sha256: string }, byTask: Record<string, { persona_id: string; description: string; expanded_instruction: string }[]>) {
  addRun(store, runId, "personas", {});
  savePersonaProgram(store, { sha256: program.sha256, name: "prog.py", code: program.code, now: NOW });
  for (const [taskId, personas] of Object.entries(byTask)) {
    savePersonaTask(store, {
      runId, taskId, programSha: program.sha256, domain: "airline", n: personas.length, ok: true, errorKind: null, error: null, failures: [], stdout: "", stderr: "", ms: 1,
      personas: personas.map((p) => ({ ...p, axis_placement: { terse: true }, reasoning: "r", warnings: [] })),
    }, NOW);
  }
}
