/**
 * Where conversations come from, resolved in one place for the commands, the server and the engine: a
 * stored set name, a conversation file (relative to the working directory; any format, detected unless
 * named), or a simulate run's episodes — tried in that order.
 */
import { existsSync } from "node:fs";
import { InputError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import type { Conversation, Normalization, Preparation } from "../model/index.ts";
import { type ConversationSetRow, getConversationSet, getRun, listConversationSets, loadConversations, type Split, type Store } from "../store/index.ts";
import { runConversations } from "./episodes.ts";
import { prepareAll } from "./prepare.ts";
import { readConversations } from "./read.ts";

export interface SourceOptions {
  /** How a file's or a run's turns are prepared (a stored set keeps the preparation it was imported with). */
  preparation: Preparation;
  /** Only this side of a stored set's task split (files and runs have none). */
  split?: Split;
  /** A file's format (default: detected from its name and content). */
  format?: string;
  /** Keep only this domain of a file (τ-USI), or the domain to record when the file names none. */
  domain?: string;
  /** Source label for file formats that carry none (e.g. "simulator"). */
  source?: string;
}

export interface ResolvedSource {
  /** Set name, file path as given, or `run:ID`: what provenance records. */
  label: string;
  conversations: Conversation[];
  /** Normalisation already applied to the stored text ("none" for files and runs). */
  normalization: Normalization;
  /** How the turns were prepared: the set's, or the mode files and runs were read with. */
  preparation: Preparation;
  /** The stored set's row, when the source is one. */
  set?: ConversationSetRow;
  /** A stored set's task split of each conversation (parallel to `conversations`). */
  splits?: Split[];
}

export interface ConversationSources {
  /** A stored set, else a file, else a run's episodes. */
  resolve(spec: string, opts: SourceOptions): ResolvedSource;
  /** A stored set only (human references). */
  set(name: string, opts?: { split?: Split }): ResolvedSource;
  /** A conversation file only. */
  file(path: string, opts: SourceOptions): ResolvedSource;
}

/**
 * The resolver over an archive (opened on first use, so reading a file never creates one) and, when `cwd`
 * is given, the files under it. Without `cwd` (the server) no file is ever read: a spec is a set or a run.
 */
export function conversationSources(deps: { store: () => Store; cwd?: string }): ConversationSources {
  const { cwd } = deps;
  const fromSet = (set: ConversationSetRow, split: Split | undefined): ResolvedSource => {
    // Re-prepared as imported: preparation is idempotent, and sets stored before migration 007 may still hold whitespace-only user turns.
    const stored = loadConversations(deps.store(), set.name, split);
    const conversations = prepareAll(stored.map((s) => s.conversation), set.preparation);
    return { label: set.name, conversations, normalization: set.normalization, preparation: set.preparation, set, splits: stored.map((s) => s.split) };
  };
  const file = (path: string, opts: SourceOptions): ResolvedSource => {
    if (cwd === undefined) throw new InputError(`${path}: files are not read here`, "import the file as a set with `ppol human import` and name the set");
    noSplit(path, "a file", opts);
    const { format, domain, source, preparation } = opts;
    const conversations = readConversations(resolvePath(cwd, path), format, { preparation, ...(domain ? { domain } : {}), ...(source ? { source } : {}) });
    return { label: path, conversations, normalization: "none", preparation };
  };
  const knownSets = () => {
    const known = listConversationSets(deps.store()).map((s) => s.name);
    return known.length ? `stored sets: ${known.join(", ")}` : "import one with `ppol human import FILE --format F`";
  };
  return {
    set(name, opts = {}) {
      const set = getConversationSet(deps.store(), name);
      if (!set) throw new InputError(`no conversation set "${name}" in the archive`, knownSets());
      return fromSet(set, opts.split);
    },
    file,
    resolve(spec, opts) {
      const store = deps.store();
      const set = getConversationSet(store, spec);
      if (set) return fromSet(set, opts.split);
      if (cwd !== undefined && existsSync(resolvePath(cwd, spec))) return file(spec, opts);
      const episodes = runConversations(store, spec, opts.preparation);
      if (episodes) {
        noSplit(spec, "a run", opts);
        return { label: `run:${spec}`, conversations: episodes, normalization: "none", preparation: opts.preparation };
      }
      if (getRun(store, spec))
        throw new InputError(`run "${spec}" has no episode with a conversation to read`, `its episodes are missing or ended in infrastructure, agent or user errors: see \`ppol run show ${spec}\``);
      throw new InputError(`"${spec}" is neither a stored conversation set nor ${cwd === undefined ? "a run" : "a file nor a run"}`, knownSets());
    },
  };
}

function noSplit(spec: string, what: string, opts: SourceOptions): void {
  if (opts.split) throw new InputError(`"${spec}" is ${what}, not a stored set: it has no train/test split`, "drop the split, or import it as a set first");
}
