import type { Conversation, Normalization } from "../model/index.ts";

/**
 * "lower-punct" makes any corpus look like MultiDoGO (lower-cased, punctuation deleted, not replaced by a
 * space: "don't" → "dont"), so case- and punctuation-based features compare like with like. It is
 * idempotent, so applying it to both sides is safe.
 */
const NOT_WORD_OR_SPACE = /[^\p{L}\p{N}\s]/gu;

export function normalizeText(text: string): string {
  return text.toLowerCase().replace(NOT_WORD_OR_SPACE, "").replace(/\s+/gu, " ").trim();
}

function normalizeConversation(conversation: Conversation, mode: Normalization): Conversation {
  if (mode === "none") return conversation;
  return { ...conversation, messages: conversation.messages.map((m) => ({ ...m, content: normalizeText(m.content) })) };
}

export function normalizeAll(conversations: Conversation[], mode: Normalization): Conversation[] {
  return mode === "none" ? conversations : conversations.map((c) => normalizeConversation(c, mode));
}
