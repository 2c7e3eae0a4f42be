import { basename } from "node:path";
import { InputError } from "../errors.ts";
import type { Conversation, Message } from "../model/index.ts";

/**
 * τ-bench simulated-user files (corpora/README): either a trajectory JSON list `[{task_id, trial, reward,
 * info, traj}]`, or few-shot JSONL with one `messages_display` string of `role: text` lines per episode.
 * System messages (the agent policy) and the "None" placeholders of tool-calling assistant turns are dropped.
 */
export function parseTauBench(text: string, file: string, opts: { domain?: string; source?: string }): Conversation[] {
  const domain = opts.domain ?? domainFromName(file);
  return text.trimStart().startsWith("[") ? parseTrajectories(text, file, domain, opts.source) : parseFewShot(text, file, domain, opts.source);
}

function domainFromName(file: string): string | undefined {
  const name = basename(file).toLowerCase();
  return ["airline", "retail"].find((d) => name.includes(d));
}

function parseTrajectories(text: string, file: string, domain: string | undefined, source = "simulator"): Conversation[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`, "a τ-bench trajectory file is a JSON list of {task_id, trial, traj}");
  }
  return (data as unknown[]).map((x, i) => {
    const e = x as { task_id?: unknown; trial?: unknown; reward?: unknown; traj?: unknown };
    if (!e || typeof e !== "object" || !Array.isArray(e.traj))
      throw new InputError(`${file}: entry ${i} has no "traj" message list`, "each entry needs traj: [{role, content}]");
    const messages: Message[] = [];
    for (const m of e.traj as { role?: unknown; content?: unknown }[]) {
      if (m?.role !== "user" && m?.role !== "assistant" && m?.role !== "tool") continue;
      if (typeof m.content !== "string" || m.content === "") continue;
      messages.push({ role: m.role, content: m.content });
    }
    const task = e.task_id === undefined ? undefined : String(e.task_id);
    const trial = e.trial === undefined ? i : Number(e.trial);
    return {
      id: `${domain ?? "tau-bench"}-${task ?? i}-trial${trial}`,
      source,
      ...(domain ? { domain } : {}),
      ...(task !== undefined ? { task_id: task } : {}),
      messages,
      meta: { trial, ...(e.reward !== undefined ? { reward: e.reward } : {}) },
    };
  });
}

const ROLE_LINE = /^(user|assistant|tool): ?(.*)$/;

function parseFewShot(text: string, file: string, domain: string | undefined, source = "simulator"): Conversation[] {
  const out: Conversation[] = [];
  const stem = basename(file).replace(/\.[^.]+$/, "");
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let row: { messages_display?: unknown };
    try {
      row = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`, "few-shot files have one JSON object per line");
    }
    if (typeof row.messages_display !== "string")
      throw new InputError(`${file}:${i + 1}: field messages_display must be a string`, "is this a τ-bench few-shot file? use --format jsonl for ppol's own format");
    const messages: Message[] = [];
    for (const l of row.messages_display.split("\n")) {
      const m = ROLE_LINE.exec(l);
      if (m) messages.push({ role: m[1] as Message["role"], content: m[2]! });
      else if (messages.length) messages.at(-1)!.content += `\n${l}`;
    }
    const kept = messages
      .map((m) => ({ ...m, content: m.content.trim() }))
      .filter((m) => m.content !== "" && !(m.role === "assistant" && m.content === "None"));
    out.push({ id: `${stem}-${i + 1}`, source, ...(domain ? { domain } : {}), messages: kept, meta: { line: i + 1 } });
  });
  return out;
}
