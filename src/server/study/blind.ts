/**
 * Blinding, pure: a conversation as an annotator sees it. Only what a person typed and read stays:
 * customer and agent text. Tool messages, agent markup (think/tool/canvas blocks, function-call tags),
 * simulator stop tokens, ids, task, domain, persona and every other field are dropped.
 */
import { stripAgentMarkup } from "../../conversations/index.ts";
import { type Conversation } from "../../model/index.ts";
import { STOP_TOKENS } from "../../sim/index.ts";
import type { ShownMessage } from "../../store/index.ts";

const STOPS = new RegExp(STOP_TOKENS.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");

export function blindMessages(c: Pick<Conversation, "messages">): ShownMessage[] {
  const out: ShownMessage[] = [];
  for (const m of c.messages) {
    if (m.role === "tool") continue;
    const text = stripAgentMarkup(m.content.replace(STOPS, ""))
      .replace(/\r\n?/g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    if (text) out.push({ speaker: m.role === "user" ? "customer" : "agent", text });
  }
  return out;
}
