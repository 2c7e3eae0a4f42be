/**
 * Conversations: importers for every supported file format, turn preparation and normalisation, a run's
 * episodes as conversations, one resolver for every named source (set, file, run), and sets as a stage
 * (import, export). The dialogue model itself is src/model.
 *
 *   const sources = conversationSources({ store: () => store, cwd })   // set → file → run
 *   sources.resolve("usi-airline", { preparation: "reference" })      // {label, conversations, preparation, …}
 *   importSet({ sources, store }, { files, format, kind, … })           // `ppol human import`
 *   exportSource(sources, "sim-…", { preparation, normalize })           // `ppol export conversations`
 */
export { Format, FORMATS } from "./model.ts";
export { detectFormat, parseConversations, parseFormat, readConversations } from "./read.ts";
export { toJsonl } from "./jsonl.ts";
export { CONTROL_TOKENS, DEFAULT_PREPARATION, prepareAll, prepareConversation, prepareMessages } from "./prepare.ts";
export { normalizeAll, normalizeText } from "./normalize.ts";
export { cleanTauUsiMessages, stripAgentMarkup } from "./tau-usi.ts";
export { assignSplit, hashSplit, loadTaskSplits, SPLIT_RULES, type SplitRule } from "./split.ts";
export { episodeToConversation, runConversations } from "./episodes.ts";
export { conversationSources, type ConversationSources, type ResolvedSource, type SourceOptions } from "./sources.ts";
export { exportSource, type ExportOptions, importSet, type ImportSetOptions, type ImportSummary } from "./sets.ts";
