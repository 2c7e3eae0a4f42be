/**
 * The shared data model: what an episode and a conversation are. Stages produce and read these, the
 * archive stores them; this folder imports nothing of ppol's but the root helpers (hash.ts), so everyone may
 * import it.
 */
export { Conversation, hashConversations, Message, Normalization, Preparation, Role, type ScoreRow, userTurns } from "./conversation.ts";
export { EpisodeMessage, EpisodeRetry, EpisodeToolCall, Termination, UNSCORED_TERMINATIONS, Unparseable } from "./episode.ts";
