import { InputError } from "../errors.ts";
import type { Conversation, Message } from "./model.ts";

/**
 * τ-USI human study export (human-formats §1): one JSON object keyed by instance id. Study scaffolding is
 * removed so only what the person typed and saw remains:
 * - user control turns: `\tau task_index:…`, `/stop`, `\reward`;
 * - the assistant messages that answer `/stop` or `\reward` (survey, "Survey submitted", reward banner);
 * - agent markup inside assistant text: think, tool calls, tool results, canvas, highlight, survey blocks.
 *   An opening marker with no closing one hides the rest of the message (malformed exports exist).
 * Assistant messages left empty are dropped. User text is kept verbatim.
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
// "\tau task_index:…"; also when an unescaped "\t" in the export turned the backslash-t into a tab.
const TAU_LINE = /^\\tau(?:\s|$)|^au\s+task_index:/;
const STOP = /^\/stop$/i;
const REWARD = /^\\reward$/i;
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

export function cleanTauUsiMessages(raw: { role: string; content: string }[]): Message[] {
  const out: Message[] = [];
  let afterControl = false;
  for (const m of raw) {
    const content = m.content ?? "";
    if (m.role === "user") {
      const t = content.trim();
      if (TAU_LINE.test(t)) continue; // trim() also removes a leading tab
      if (STOP.test(t) || REWARD.test(t)) {
        afterControl = true;
        continue;
      }
      afterControl = false;
      out.push({ role: "user", content });
    } else if (m.role === "assistant") {
      if (afterControl) continue;
      const text = stripAgentMarkup(content);
      if (text === "" || SURVEY_DONE.test(text)) continue;
      out.push({ role: "assistant", content: text });
    }
  }
  return out;
}

const INSTANCE = /^([a-z0-9]+)_(\d+)(?:_ann\d+)?$/i;

export function parseTauUsi(text: string, file: string, opts: { domain?: string; source?: string }): Conversation[] {
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
    const meta: Record<string, unknown> = {};
    for (const k of ["agent_id", "reward", "keep", "quality_score", "quality_passed", "human_score"]) if (e[k] !== undefined) meta[k] = e[k];
    out.push({
      id: key,
      source: opts.source ?? "human",
      ...(domain ? { domain } : {}),
      ...(taskId !== undefined ? { task_id: taskId } : {}),
      messages: cleanTauUsiMessages(rawMessages),
      meta,
    });
  }
  return out;
}
