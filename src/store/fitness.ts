/** Archive access for fitness: conversation sets, discriminator models and scores (migrations 004, 007). */
import { createHash } from "node:crypto";
import { z } from "zod";
import { type Preparation, PREPARATIONS, prepareAll } from "../conversations/index.ts";
import { Conversation } from "../model/index.ts";
import { InputError } from "../errors.ts";
import { DiscriminatorModel, ScoreResult } from "../fitness/index.ts";
import type { Store } from "./db.ts";

export const SetKind = z.enum(["human", "simulator"]);
export const Split = z.enum(["train", "test"]);
export type Split = z.infer<typeof Split>;

export const ConversationSetRow = z.object({
  name: z.string(),
  kind: SetKind,
  format: z.string(),
  domain: z.string().nullable(),
  source_files: z.string(),
  content_hash: z.string(),
  normalization: z.enum(["none", "lower-punct"]),
  /** How the stored turns were prepared (conversations/prepare.ts). */
  preparation: z.enum(PREPARATIONS),
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

/** sha256 over the conversations' canonical JSON, in order: identifies a data set in provenance. */
export function hashConversations(conversations: readonly Conversation[]): string {
  const h = createHash("sha256");
  for (const c of conversations) h.update(JSON.stringify(c)).update("\n");
  return h.digest("hex");
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

export function saveDiscriminator(store: Store, model: DiscriminatorModel, now: Date): string {
  if (!model.cv.aucs.every(Number.isFinite) || !model.scaler.scale.every(Number.isFinite))
    throw new InputError("discriminator has a non-finite CV AUC or scale", "report this: the training data produced an undefined value");
  const json = JSON.stringify(model);
  const id = `d-${createHash("sha256").update(json).digest("hex").slice(0, 12)}`;
  store.db
    .query("INSERT INTO discriminators (id, human_set, simulator, cv_auc, model, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
    .run(id, model.provenance.human.name, model.provenance.simulator.name, model.cv.mean, json, now.toISOString());
  return id;
}

export function loadDiscriminator(store: Store, id: string): DiscriminatorModel {
  const row = store.db.query("SELECT model FROM discriminators WHERE id = ?").get(id) as { model: string } | null;
  if (!row) {
    const known = (store.db.query("SELECT id FROM discriminators ORDER BY created_at DESC LIMIT 5").all() as { id: string }[]).map((r) => r.id);
    throw new InputError(`no discriminator "${id}" in the archive`, known.length ? `known: ${known.join(", ")}` : "train one with `ppol discriminator train`");
  }
  return DiscriminatorModel.parse(JSON.parse(row.model));
}

export function saveScore(
  store: Store,
  s: { discriminatorId: string; humanSet: string; episodes: string; featureVersion: string; cueVersion: string; preparation: Preparation; result: ScoreResult; now: Date },
): number {
  const { result } = s;
  for (const [k, v] of Object.entries({ hl: result.hl, cov: result.cov, score: result.score }))
    if (!Number.isFinite(v)) throw new InputError(`score ${k} is not a finite number`, "report this: the inputs produced an undefined value");
  const info = store.db
    .query("INSERT INTO scores (discriminator_id, human_set, episodes, feature_version, cue_version, preparation, hl, cov, score, result, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .run(s.discriminatorId, s.humanSet, s.episodes, s.featureVersion, s.cueVersion, s.preparation, result.hl, result.cov, result.score, JSON.stringify(result), s.now.toISOString());
  return Number(info.lastInsertRowid);
}

export interface ResolvedSource {
  /** Set name or file path, as recorded in provenance. */
  label: string;
  conversations: Conversation[];
  /** Normalisation already applied to the stored text ("none" for files). */
  normalization: "none" | "lower-punct";
  /** How the turns were prepared: the set's, or the mode files and runs were read with. */
  preparation: Preparation;
  set?: ConversationSetRow;
}

/**
 * Resolve `--simulator` / `--episodes`: a stored set name first, then a conversation file, then a run's
 * episodes. `read` and `runEpisodes` prepare their conversations as `opts.preparation` says. A stored set
 * is re-prepared as it was imported: preparation is idempotent, and sets stored before migration 007 may
 * still hold whitespace-only user turns.
 */
export function resolveConversationSource(
  store: Store,
  spec: string,
  read: (file: string) => Conversation[],
  opts: {
    split?: Split;
    /** The mode `read` and `runEpisodes` prepare with. */
    preparation: Preparation;
    exists: (path: string) => boolean;
    /** A run's episodes as conversations, once the Episodes stage stores them (undefined: not a run / none). */
    runEpisodes?: (runId: string) => Conversation[] | undefined;
  },
): ResolvedSource {
  const set = getConversationSet(store, spec);
  if (set) {
    const conversations = prepareAll(loadConversations(store, spec, opts.split).map((s) => s.conversation), set.preparation);
    return { label: set.name, conversations, normalization: set.normalization, preparation: set.preparation, set };
  }
  if (opts.exists(spec)) return { label: spec, conversations: read(spec), normalization: "none", preparation: opts.preparation };
  const fromRun = opts.runEpisodes?.(spec);
  if (fromRun) return { label: `run:${spec}`, conversations: fromRun, normalization: "none", preparation: opts.preparation };
  const run = store.db.query("SELECT id FROM runs WHERE id = ?").get(spec);
  if (run) throw new InputError(`run "${spec}" has no stored episodes this ppol can read yet`, "export the run's episodes as JSONL and pass the file");
  const known = listConversationSets(store).map((s) => s.name);
  throw new InputError(`"${spec}" is neither a stored conversation set nor a file`, known.length ? `stored sets: ${known.join(", ")}` : "import one with `ppol human import FILE --format F`");
}
