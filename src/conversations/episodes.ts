import { type Conversation, type Preparation, UNSCORED_TERMINATIONS } from "../model/index.ts";
import { listEpisodes, type EpisodeRecord, type Store } from "../store/index.ts";
import { DEFAULT_PREPARATION, prepareConversation } from "./prepare.ts";

/**
 * An episode in the JSONL interchange format (human-formats §4): the dialogue as user/assistant/tool
 * messages; tool calls, reward and provenance in `meta`, so nothing is lost for re-scoring. The simulator
 * side of preparation: by default the user turns keep their stop-token text (as the reference's
 * episodes do); "strip-control" removes the tokens exactly as it does on the human side.
 */
export function episodeToConversation(e: EpisodeRecord, preparation: Preparation = DEFAULT_PREPARATION): Conversation {
  const raw: Conversation = {
    id: e.id,
    source: `run:${e.run_id}`,
    domain: e.domain,
    task_id: e.task_id,
    messages: e.messages.map((m) => ({ role: m.role, content: m.content ?? "" })),
    meta: {
      run_id: e.run_id,
      trial: e.trial,
      persona_id: e.persona_key || null,
      persona: e.persona_text,
      seed: e.seed,
      agent_model: e.agent_model,
      user_model: e.user_model,
      reward: e.reward,
      termination: e.termination,
      fidelity_flags: e.fidelity,
      tool_calls: e.messages.flatMap((m, turn) => (m.role === "assistant" ? (m.toolCalls ?? []).map((c) => ({ turn, name: c.name, arguments: c.arguments })) : [])),
      preparation,
    },
  };
  return prepareConversation(raw, preparation);
}

/** A run's episodes as conversations (for `--simulator RUN` / `--episodes RUN`); undefined when it has none. */
export function runConversations(store: Store, runId: string, preparation: Preparation = DEFAULT_PREPARATION): Conversation[] | undefined {
  // Infrastructure failures are not behaviour of the simulator, and episodes that never parsed are dropped
  // by τ² and the PPol reference alike: leave both out of fitness.
  const episodes = listEpisodes(store, runId).filter((e) => !UNSCORED_TERMINATIONS.has(e.termination));
  return episodes.length ? episodes.map((e) => episodeToConversation(e, preparation)) : undefined;
}
