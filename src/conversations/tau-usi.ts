import { InputError } from "../errors.ts";
import type { Conversation, Message, Preparation } from "../model/index.ts";
import { DEFAULT_PREPARATION, prepareMessages } from "./prepare.ts";

/**
 * τ-USI human study export (human-formats §1): one JSON object keyed by instance id. Agent markup inside
 * assistant text (think, tool calls, tool results, canvas, highlight, survey blocks) is removed, so only
 * what the person saw remains; an opening marker with no closing one hides the rest of the message
 * (malformed exports exist); assistant messages left empty are dropped. User text is kept verbatim.
 * Study scaffolding, by preparation mode (prepare.ts):
 * - "reference", as the PPol reference's tau_reference.py: only the LEADING setup turns go (a turn, of
 *   either role, whose stripped text starts with `\tau ` or that contains `<|canvas|>`), and a
 *   conversation is kept only when at least 2 of its messages remain; `/stop` and `\reward` stay as text.
 * - "strip-control": every `\tau …`, `/stop` and `\reward` user turn goes, with the assistant messages
 *   answering the last two (survey, "Survey submitted", reward banner).
 */
const BLOCKS: [open: RegExp, close: RegExp][] = [
  [/<\|think\|>/, /<\|\/think\|>/],
  [/<\|tool\|>/, /<\|\/tool\|>/],
  [/<\|canvas\|>/, /<\|\/canvas\|>/],
  [/<\|highlight\|>/, /<\|\/highlight\|>/],
  [/<\|survey\|>/, /<\|\/survey\|>/],
  [/<function=[^>\n]*>/, /<\/function>/],
];
const STRAY = /<\|\/?(?:think|tool|canvas|highlight|survey)\|>|<\/?function(?:=[^>\n]*)?>|<\/?parameter(?:=[^>\n]*)?>/g;
const SURVEY_DONE = /^survey submitted!?$/i;

export function stripAgentMarkup(text: string): string {
  let out = text;
  for (let changed = true; changed; ) {
    changed = false;
    let earliest: { at: number; end: number } | undefined;
    for (const [open, close] of BLOCKS) {
      const o = open.exec(out);
      if (!o) continue;
      const rest = out.slice(o.index + o[0].length);
      const c = close.exec(rest);
      const end = c ? o.index + o[0].length + c.index + c[0].length : out.length;
      if (!earliest || o.index < earliest.at) earliest = { at: o.index, end };
    }
    if (earliest) {
      out = out.slice(0, earliest.at) + out.slice(earliest.end);
      changed = true;
    }
  }
  return out.replace(STRAY, "").trim();
}

/** The reference's setup turn (its `_is_setup_turn`): no tab variant, a space after `\tau`. */
const isSetupTurn = (content: string) => content.trim().startsWith("\\tau ") || content.includes("<|canvas|>");

/** The messages the reference keeps: everything after the leading setup turns. */
function afterSetup<T extends { content: string }>(raw: readonly T[]): T[] {
  const first = raw.findIndex((m) => !isSetupTurn(m.content));
  return first < 0 ? [] : raw.slice(first);
}

/** Markup stripped from assistant text, then the turns prepared (prepare.ts drops control turns in strip-control). */
export function cleanTauUsiMessages(raw: { role: string; content: string }[], mode: Preparation = DEFAULT_PREPARATION): Message[] {
  const out: Message[] = [];
  for (const m of mode === "reference" ? afterSetup(raw) : raw) {
    if (m.role === "user") out.push({ role: "user", content: m.content ?? "" });
    else if (m.role === "assistant") {
      const text = stripAgentMarkup(m.content ?? "");
      if (text === "" || (mode === "strip-control" && SURVEY_DONE.test(text))) continue;
      out.push({ role: "assistant", content: text });
    }
  }
  return prepareMessages(out, mode);
}

const INSTANCE = /^([a-z0-9]+)_(\d+)(?:_ann\d+)?$/i;

export function parseTauUsi(text: string, file: string, opts: { domain?: string; source?: string; preparation?: Preparation }): Conversation[] {
  const mode = opts.preparation ?? DEFAULT_PREPARATION;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, "a τ-USI export is one JSON object keyed by instance id");
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new InputError(`${file}: expected one JSON object keyed by instance id (e.g. "airline_0")`, "is this the τ-USI export? use --format jsonl or tau-bench for other files");
  const out: Conversation[] = [];
  for (const [key, entry] of Object.entries(data as Record<string, unknown>)) {
    const e = entry as Record<string, unknown>;
    if (!e || typeof e !== "object" || !Array.isArray(e.conversation))
      throw new InputError(`${file}: entry "${key}" has no "conversation" list`, "each value needs conversation: [{role, content}]");
    const m = INSTANCE.exec(key);
    const domain = m?.[1]?.toLowerCase();
    if (opts.domain && domain !== opts.domain) continue;
    const taskId = m?.[2] ?? (e.task_id !== undefined ? String(e.task_id) : undefined);
    const rawMessages = (e.conversation as unknown[]).map((x, i) => {
      const msg = x as { role?: unknown; content?: unknown };
      if (typeof msg?.role !== "string" || (msg.content !== null && msg.content !== undefined && typeof msg.content !== "string"))
        throw new InputError(`${file}: entry "${key}" conversation[${i}] needs string role and content`, "fix or remove that message");
      return { role: msg.role, content: (msg.content as string | null) ?? "" };
    });
    if (mode === "reference" && afterSetup(rawMessages).length < 2) continue;
    const meta: Record<string, unknown> = {};
    for (const k of ["agent_id", "reward", "keep", "quality_score", "quality_passed", "human_score"]) if (e[k] !== undefined) meta[k] = e[k];
    out.push({
      id: key,
      source: opts.source ?? "human",
      ...(domain ? { domain } : {}),
      ...(taskId !== undefined ? { task_id: taskId } : {}),
      messages: cleanTauUsiMessages(rawMessages, mode),
      meta,
    });
  }
  return out;
}
