import { InputError } from "../errors.ts";
import type { Conversation, Message, Preparation } from "../model/index.ts";

/**
 * How a conversation's turns are prepared (model's Preparation) before anything fingerprints them.
 * Humans and simulator episodes must be prepared the same way, or the discriminator learns the preparation instead of the
 * behaviour (a `/stop` typed by every human, a `###STOP###` in every simulated dialogue).
 * - "reference" (default), as the PPol reference prepares its data: only the τ-USI study's leading
 *   setup turns go (the importer does that); `/stop`, `\reward` and the simulator's stop tokens stay as
 *   the text they are.
 * - "strip-control": control turns (`\tau …`, `/stop`, `\reward`, with the replies to the last two) and
 *   the simulator's stop/transfer/out-of-scope tokens are removed; turns left empty are dropped.
 * Both drop user turns that are empty or whitespace only. Preparing twice changes nothing.
 */
export const DEFAULT_PREPARATION: Preparation = "reference";

/**
 * The tokens with which τ-bench's and τ²'s user simulators end a conversation (τ² spec §5), as they
 * appear in simulated user turns (the simulator's STOP_TOKENS are this list).
 */
export const CONTROL_TOKENS = ["###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###"] as const;

/** τ-USI study commands typed in the user box: the task line (also with the backslash-t read as a tab). */
const TAU_LINE = /^\\tau(?:\s|$)|^au\s+task_index:/;
/** `/stop` and `\reward`: after these the study UI shows a survey or the reward, not dialogue. */
const END_COMMAND = /^(?:\/stop|\\reward)$/i;

const TOKEN = new RegExp(CONTROL_TOKENS.map((t) => t.replace(/[-#]/g, "\\$&")).join("|"), "g");
const blank = (text: string) => text.trim() === "";

export function prepareMessages(messages: readonly Message[], mode: Preparation): Message[] {
  if (mode === "reference") return messages.filter((m) => m.role !== "user" || !blank(m.content));
  const out: Message[] = [];
  let afterEnd = false;
  for (const m of messages) {
    if (m.role !== "user") {
      if (!afterEnd) out.push(m);
      continue;
    }
    const t = m.content.trim();
    if (TAU_LINE.test(t)) continue;
    const removed = m.content.includes("###") ? m.content.replace(TOKEN, "") : m.content;
    const text = removed === m.content ? m.content : removed.trim();
    // A turn that was only a command or a token ends the dialogue: what follows is survey or reward.
    afterEnd = END_COMMAND.test(t) || (blank(text) && !blank(m.content));
    if (afterEnd || blank(text)) continue;
    out.push(text === m.content ? m : { ...m, content: text });
  }
  return out;
}

/** A conversation's turns prepared; a recorded `meta.preparation` (episode exports) is updated to the mode. */
export function prepareConversation(conversation: Conversation, mode: Preparation): Conversation {
  const meta = conversation.meta?.preparation !== undefined && conversation.meta.preparation !== mode ? { ...conversation.meta, preparation: mode } : conversation.meta;
  return { ...conversation, messages: prepareMessages(conversation.messages, mode), meta };
}

/**
 * Turns exported with control text removed cannot be given it back: reading such a file (its
 * conversations say `meta.preparation: "strip-control"`) as "reference" is an InputError.
 */
export function checkRestorable(conversations: readonly Conversation[], mode: Preparation, file: string): void {
  if (mode !== "reference") return;
  const stripped = conversations.find((c) => c.meta?.preparation === "strip-control");
  if (stripped)
    throw new InputError(`${file}: conversation "${stripped.id}" was exported with --strip-control, so it cannot be prepared as "reference"`, "use it only with sets and discriminators prepared with --strip-control");
}

export function prepareAll(conversations: readonly Conversation[], mode: Preparation): Conversation[] {
  return conversations.map((c) => prepareConversation(c, mode));
}
