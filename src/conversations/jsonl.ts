import { z } from "zod";
import { InputError } from "../errors.ts";
import { Conversation, Message } from "../model/index.ts";

const KNOWN = new Set(["id", "source", "domain", "task_id", "messages", "meta"]);

/** One interchange line as written by hand or by other tools: task_id may be a number, meta optional. */
const Line = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  source: z.string().min(1).optional(),
  domain: z.string().optional(),
  task_id: z.union([z.string(), z.number()]).transform(String).optional(),
  messages: z.array(Message),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** ppol's JSONL interchange format (human-formats §4): one conversation per line; unknown keys go to meta. */
export function parseJsonl(text: string, file: string, opts: { domain?: string; source?: string }): Conversation[] {
  const out: Conversation[] = [];
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`, "JSONL needs one JSON object per line");
    }
    const parsed = Line.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new InputError(`${file}:${i + 1}: field ${issue.path.join(".") || "(line)"}: ${issue.message}`, 'each line needs {"id", "messages": [{"role": "user"|"assistant"|"tool", "content"}]}');
    }
    const { id, source, domain, task_id, messages, meta, ...extra } = parsed.data;
    const unknown = Object.fromEntries(Object.entries(extra).filter(([k]) => !KNOWN.has(k)));
    const d = domain ?? opts.domain;
    out.push(Conversation.parse({ id, source: source ?? opts.source ?? "unknown", ...(d ? { domain: d } : {}), ...(task_id !== undefined ? { task_id } : {}), messages, meta: { ...unknown, ...meta } }));
  });
  return out;
}

/** JSONL text for conversations, one per line, keys in the documented order. */
export function toJsonl(conversations: readonly Conversation[]): string {
  return conversations
    .map((c) =>
      JSON.stringify({
        id: c.id,
        source: c.source,
        ...(c.domain !== undefined ? { domain: c.domain } : {}),
        ...(c.task_id !== undefined ? { task_id: c.task_id } : {}),
        messages: c.messages,
        meta: c.meta ?? {},
      }),
    )
    .map((l) => `${l}\n`)
    .join("");
}
