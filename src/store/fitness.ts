/**
 * Archive access for fitness (migrations 004, 007): conversation sets, and discriminator models and scores
 * as JSON text. The stages parse what they read (conversations resolves sets, fitness parses models).
 */
import { z } from "zod";
import { Conversation, hashConversations, Normalization, Preparation, type ScoreRow } from "../model/index.ts";
import { InputError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import type { Store } from "./db.ts";

export const SetKind = z.enum(["human", "simulator"]);
export type SetKind = z.infer<typeof SetKind>;
export const Split = z.enum(["train", "test"]);
export type Split = z.infer<typeof Split>;

export const ConversationSetRow = z.object({
  name: z.string(),
  kind: SetKind,
  format: z.string(),
  domain: z.string().nullable(),
  source_files: z.string(),
  content_hash: z.string(),
  normalization: Normalization,
  /** How the stored turns were prepared (conversations/prepare.ts). */
  preparation: Preparation,
  split_rule: z.string(),
  space: z.enum(["raw", "z"]),
  n: z.number(),
  created_at: z.string(),
});
export type ConversationSetRow = z.infer<typeof ConversationSetRow>;

export interface StoredConversation {
  conversation: Conversation;
  split: Split;
}

export function saveConversationSet(
  store: Store,
  set: Omit<ConversationSetRow, "content_hash" | "n" | "created_at" | "source_files"> & { source_files: string[] },
  items: readonly StoredConversation[],
  opts: { replace: boolean; now: Date },
): ConversationSetRow {
  const seen = new Set<string>();
  for (const { conversation } of items) {
    if (seen.has(conversation.id)) throw new InputError(`conversation id "${conversation.id}" occurs twice in set "${set.name}"`, "ids must be unique within a set; import the files into separate sets");
    seen.add(conversation.id);
  }
  store.tx(() => {
    if (getConversationSet(store, set.name)) {
      if (!opts.replace) throw new InputError(`a conversation set named "${set.name}" already exists`, "pass --replace to overwrite it, or choose another --name");
      store.db.query("DELETE FROM conversation_sets WHERE name = ?").run(set.name);
    }
    store.db
      .query("INSERT INTO conversation_sets (name, kind, format, domain, source_files, content_hash, normalization, preparation, split_rule, space, n, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .run(set.name, set.kind, set.format, set.domain, JSON.stringify(set.source_files), hashConversations(items.map((i) => i.conversation)), set.normalization, set.preparation, set.split_rule, set.space, items.length, opts.now.toISOString());
    const insert = store.db.query("INSERT INTO set_conversations (set_name, ord, id, task_id, domain, split, conversation) VALUES (?, ?, ?, ?, ?, ?, ?)");
    items.forEach(({ conversation: c, split }, i) => insert.run(set.name, i, c.id, c.task_id ?? null, c.domain ?? null, split, JSON.stringify(c)));
  });
  return getConversationSet(store, set.name)!;
}

export function getConversationSet(store: Store, name: string): ConversationSetRow | undefined {
  const row = store.db.query("SELECT * FROM conversation_sets WHERE name = ?").get(name);
  return row ? ConversationSetRow.parse(row) : undefined;
}

export function listConversationSets(store: Store): ConversationSetRow[] {
  return store.db.query("SELECT * FROM conversation_sets ORDER BY created_at, name").all().map((r) => ConversationSetRow.parse(r));
}

/** The set's conversations in import order, optionally only one split. */
export function loadConversations(store: Store, name: string, split?: Split): StoredConversation[] {
  const rows = (split
    ? store.db.query("SELECT split, conversation FROM set_conversations WHERE set_name = ? AND split = ? ORDER BY ord").all(name, split)
    : store.db.query("SELECT split, conversation FROM set_conversations WHERE set_name = ? ORDER BY ord").all(name)) as { split: string; conversation: string }[];
  return rows.map((r) => ({ split: Split.parse(r.split), conversation: Conversation.parse(JSON.parse(r.conversation)) }));
}

/**
 * Discriminators and scores as the fitness stage saves and loads them: plain JSON text in, plain JSON
 * text out (fitness parses and validates its models; the archive only keeps them).
 */
export function fitnessArchive(store: Store) {
  return {
    /** Store a model's JSON under its content id (`d-` + 12 hex of its sha256); storing it again is a no-op. */
    saveDiscriminator(json: string, meta: { humanSet: string; simulator: string; cvAuc: number; now: Date }): string {
      const id = `d-${sha256(json).slice(0, 12)}`;
      store.db
        .query("INSERT INTO discriminators (id, human_set, simulator, cv_auc, model, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
        .run(id, meta.humanSet, meta.simulator, meta.cvAuc, json, meta.now.toISOString());
      return id;
    },
    /** A stored model's JSON; an unknown id is an InputError listing the newest ids. */
    loadDiscriminator(id: string): string {
      const row = store.db.query("SELECT model FROM discriminators WHERE id = ?").get(id) as { model: string } | null;
      if (row) return row.model;
      const known = (store.db.query("SELECT id FROM discriminators ORDER BY created_at DESC LIMIT 5").all() as { id: string }[]).map((r) => r.id);
      throw new InputError(`no discriminator "${id}" in the archive`, known.length ? `known: ${known.join(", ")}` : "train one with `ppol discriminator train`");
    },
    saveScore(s: ScoreRow): number {
      const info = store.db
        .query("INSERT INTO scores (discriminator_id, human_set, episodes, feature_version, cue_version, preparation, hl, cov, score, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .run(s.discriminatorId, s.humanSet, s.episodes, s.featureVersion, s.cueVersion, s.preparation, s.hl, s.cov, s.score, s.result, s.now.toISOString());
      return Number(info.lastInsertRowid);
    },
  };
}
