/**
 * Conversation sets as a stage: import files into a stored set (`ppol human import`), and export any source
 * (set, file or run) as interchange conversations (`ppol export conversations`).
 */
import { basename } from "node:path";
import { InputError } from "../errors.ts";
import { type Conversation, type Normalization, type Preparation, userTurns } from "../model/index.ts";
import { saveConversationSet, type SetKind, type Split, type Store } from "../store/index.ts";
import type { Format } from "./model.ts";
import { normalizeAll } from "./normalize.ts";
import { prepareAll } from "./prepare.ts";
import type { ConversationSources } from "./sources.ts";
import { assignSplit, loadTaskSplits, type SplitRule } from "./split.ts";

export interface ImportSetOptions {
  /** The files as the user named them (read through the resolver, so relative to its working directory). */
  files: readonly string[];
  format: Format;
  /** Keep only this domain (τ-USI) / the domain to record. */
  domain?: string;
  /** Set name (default FORMAT-DOMAIN, else FORMAT-first file stem). */
  name?: string;
  kind: SetKind;
  preparation: Preparation;
  normalization: Normalization;
  rule: SplitRule;
  /** Default coverage space (default raw for τ-USI, z otherwise). */
  space?: "raw" | "z";
  /** The τ² data folder whose split_tasks.json the "tau2" rule reads. */
  tau2Dir?: string;
  replace: boolean;
  now: Date;
}

export interface ImportSummary {
  name: string;
  kind: SetKind;
  n: number;
  train: number;
  test: number;
  skipped_no_user_turns: number;
  split_rule: string;
  normalization: Normalization;
  preparation: Preparation;
  space: "raw" | "z";
  content_hash: string;
}

/**
 * Read the files, drop conversations without user turns (counted), normalise, assign each task to train
 * or test, and store the set. The split rule actually applied is recorded in words (e.g. "hash (no task
 * ids in this corpus)") so a fallback is never silent.
 */
export function importSet(deps: { sources: ConversationSources; store: Store }, opts: ImportSetOptions): ImportSummary {
  const { domain, preparation, normalization, rule, kind } = opts;
  const read = opts.files.flatMap((f) => deps.sources.file(f, { format: opts.format, preparation, source: kind, ...(domain ? { domain } : {}) }).conversations);
  const kept = read.filter((c) => userTurns(c).length > 0);
  if (kept.length === 0) throw new InputError(`${opts.files.join(", ")}: no conversation with a user turn${domain ? ` in domain "${domain}"` : ""}`, "check --format and --domain");
  const all = normalizeAll(kept, normalization);
  const splits = rule === "tau2" && opts.tau2Dir ? loadTaskSplits(opts.tau2Dir, all.flatMap((c) => (c.domain ? [c.domain] : []))) : undefined;
  const items = all.map((conversation) => ({ conversation, split: assignSplit(conversation, rule, splits) }));
  const usedTau2 = rule === "tau2" && all.some((c) => c.domain && c.task_id !== undefined && splits?.get(c.domain)?.has(c.task_id));
  const ruleText =
    rule !== "tau2" ? rule
    : usedTau2 ? "tau2 (hash for tasks outside the τ² split)"
    : !all.some((c) => c.task_id !== undefined) ? "hash (no task ids in this corpus)"
    : splits?.size ? "hash (task ids not in the τ² split)"
    : "hash (no τ² split found: pass --tau2-data DIR for the τ² split)";
  const setDomain = domain ?? (new Set(all.map((c) => c.domain)).size === 1 ? all[0]!.domain : undefined) ?? null;
  const name = opts.name ?? `${opts.format}-${setDomain ?? basename(opts.files[0]!).replace(/\.[^.]+$/, "")}`;
  const space = opts.space ?? (opts.format === "tau-usi" ? "raw" : "z");
  const row = saveConversationSet(
    deps.store,
    { name, kind, format: opts.format, domain: setDomain, source_files: opts.files.map((f) => basename(f)), normalization, preparation, split_rule: ruleText, space },
    items,
    { replace: opts.replace, now: opts.now },
  );
  const train = items.filter((i) => i.split === "train").length;
  return { name: row.name, kind, n: row.n, train, test: row.n - train, skipped_no_user_turns: read.length - kept.length, split_rule: ruleText, normalization, preparation, space, content_hash: row.content_hash };
}

export interface ExportOptions {
  /** "strip-control" strips what is read; "reference" writes a set as it was imported and a run or file as the reference reads it. */
  preparation: Preparation;
  /** Only one side of a stored set's split. */
  split?: Split;
  /** Lower-case and delete punctuation. */
  normalize: boolean;
}

/**
 * Any source as interchange conversations: `meta.preparation` says how the turns were prepared (so a
 * stripped file is never read back as reference) and a set's conversations carry `meta.split`.
 */
export function exportSource(sources: ConversationSources, spec: string, opts: ExportOptions): { label: string; conversations: Conversation[] } {
  const source = sources.resolve(spec, { preparation: opts.preparation, ...(opts.split ? { split: opts.split } : {}) });
  const preparation = opts.preparation === "strip-control" ? opts.preparation : source.preparation;
  const conversations = prepareAll(source.conversations, preparation).map((c, i) => {
    const split = source.splits?.[i];
    return { ...c, meta: { ...c.meta, ...(split ? { split } : {}), preparation } };
  });
  return { label: source.label, conversations: opts.normalize ? normalizeAll(conversations, "lower-punct") : conversations };
}
