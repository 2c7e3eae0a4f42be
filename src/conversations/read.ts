/** Reading conversation files: every supported format, detected or named, with the turns prepared. */
import { readFileSync } from "node:fs";
import { closest, InputError, UsageError } from "../errors.ts";
import type { Conversation, Preparation } from "../model/index.ts";
import { type Format, FORMATS } from "./model.ts";
import { parseJsonl } from "./jsonl.ts";
import { parseMultidogo } from "./multidogo.ts";
import { checkRestorable, DEFAULT_PREPARATION, prepareAll } from "./prepare.ts";
import { parseTauBench } from "./tau-bench.ts";
import { parseTauUsi } from "./tau-usi.ts";
import { looksLikeTau2Results, parseTau2Results } from "./tau2-results.ts";

export interface ReadOptions {
  /** Keep only this domain (τ-USI), or the domain to record when the file does not name one. */
  domain?: string;
  /** Source label for formats that do not carry one (default: human for τ-USI/MultiDoGO, simulator for τ-bench). */
  source?: string;
  /** How turns are prepared (prepare.ts; default "reference"). */
  preparation?: Preparation;
}

export function parseFormat(name: string): Format {
  if ((FORMATS as readonly string[]).includes(name)) return name as Format;
  const hint = closest(name, FORMATS);
  throw new UsageError(`unknown format "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}`, `use one of: ${FORMATS.join(", ")}`);
}

/** Parse conversations from text already read and prepare their turns (pure; `file` is only used in error messages). */
export function parseConversations(text: string, format: Format, file: string, opts: ReadOptions = {}): Conversation[] {
  const mode = opts.preparation ?? DEFAULT_PREPARATION;
  switch (format) {
    case "jsonl": {
      const conversations = parseJsonl(text, file, opts);
      if (opts.preparation) checkRestorable(conversations, mode, file); // readers that ask for no mode (fidelity) take the text as it is
      return prepareAll(conversations, mode);
    }
    case "tau-usi":
      return parseTauUsi(text, file, opts); // the study's scaffolding needs the raw export: prepared inside
    case "tau-bench":
      return prepareAll(parseTauBench(text, file, opts), mode);
    case "multidogo":
      return prepareAll(parseMultidogo(text, file, opts), mode);
    case "tau2-results":
      return prepareAll(parseTau2Results(text, file, opts), mode);
  }
}

/** Guess a file's format from its name and first bytes (used when --format is not given). */
export function detectFormat(file: string, text: string): Format {
  const head = text.trimStart();
  if (file.endsWith(".tsv")) return "multidogo";
  if (head.startsWith("[")) return "tau-bench";
  if (looksLikeTau2Results(head.slice(0, 4096))) return "tau2-results";
  if (head.startsWith("{")) {
    const firstLine = head.split("\n", 1)[0]!;
    if (firstLine.includes('"messages_display"')) return "tau-bench";
    if (file.endsWith(".jsonl") || firstLine.trimEnd().endsWith("}")) return "jsonl";
    return "tau-usi";
  }
  throw new UsageError(`${file}: cannot tell the format`, `pass --format ${FORMATS.join("|")}`);
}

/** Read a conversation file in any supported format. An unreadable file is an InputError naming it. */
export function readConversations(file: string, format: Format | string | undefined, opts: ReadOptions = {}): Conversation[] {
  const fmt = format === undefined ? undefined : parseFormat(format);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "check the path");
  }
  return parseConversations(text, fmt ?? detectFormat(file, text), file, opts);
}
