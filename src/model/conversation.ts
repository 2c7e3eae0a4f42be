import { z } from "zod";
import { sha256 } from "../hash.ts";

/** Who spoke. τ-bench "system" messages are dropped at import (they are agent policy, not dialogue). */
export const Role = z.enum(["user", "assistant", "tool"]);
export type Role = z.infer<typeof Role>;

export const Message = z.object({
  role: Role,
  content: z.string(),
});
export type Message = z.infer<typeof Message>;

/**
 * One dialogue, the unit every importer produces and every metric consumes. Same shape as the ppol
 * JSONL interchange line (human-formats §4): unknown keys of a JSONL line end up in `meta`.
 */
export const Conversation = z.object({
  id: z.string().min(1),
  /** "human", "simulator", or a free label (a run or condition name). */
  source: z.string().min(1),
  domain: z.string().optional(),
  task_id: z.string().optional(),
  messages: z.array(Message),
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type Conversation = z.infer<typeof Conversation>;

/**
 * How a conversation's turns were prepared before anything fingerprints them (conversations/prepare.ts
 * says what each mode does). Stored with every set, discriminator and score.
 */
export const Preparation = z.enum(["reference", "strip-control"]);
export type Preparation = z.infer<typeof Preparation>;

/**
 * The text normalisations a discriminator can be trained with (conversations/normalize.ts): "lower-punct"
 * lower-cases and deletes punctuation, so any corpus compares with MultiDoGO's caseless text.
 */
export const Normalization = z.enum(["none", "lower-punct"]);
export type Normalization = z.infer<typeof Normalization>;

/** sha256 over the conversations' canonical JSON, in order: identifies a data set in provenance. */
export function hashConversations(conversations: readonly Conversation[]): string {
  return sha256(conversations.map((c) => `${JSON.stringify(c)}\n`).join(""));
}

/** The user turns a fingerprint reads: user-role messages with non-empty content (spec §4.1). */
export function userTurns(conversation: Pick<Conversation, "messages">): string[] {
  return conversation.messages.filter((m) => m.role === "user" && m.content !== "").map((m) => m.content);
}

/** One stored score of a conversation set: the headline numbers, and the whole result as JSON text. */
export interface ScoreRow {
  discriminatorId: string;
  humanSet: string;
  episodes: string;
  featureVersion: string;
  cueVersion: string;
  preparation: Preparation;
  hl: number;
  cov: number;
  score: number;
  /** The full result as JSON (fitness's ScoreResult). */
  result: string;
  now: Date;
}
