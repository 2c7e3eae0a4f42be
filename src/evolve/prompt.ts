/**
 * The mutator prompt: the problem's system prompt plus the edit rules; the parent with its metrics and
 * feedback (artifacts such as a reflection), the island's top programs, inspirations from other grid
 * cells, what went wrong last time (capped) and one mutation angle.
 */
import type { ChatMessage } from "../llm/index.ts";
import type { MutationRequest, Scored } from "./types.ts";

export const EDIT_RULES = `Reply with one or more edits in exactly this form:

<<<<<<< SEARCH
lines copied exactly from the current program
=======
the lines that replace them
>>>>>>> REPLACE

Rules: edit only lines between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END; copy each SEARCH text
character for character from the current program (whole lines, enough of them to be unique); make a
real change, not a cosmetic one; keep the program's public names and what they return.`;

/** Cut a text to `max` characters, saying so. */
export function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… [${text.length - max} more characters cut]`;
}

function metricsLine(p: Scored): string {
  const { score, ...rest } = p.metrics;
  return [`score=${fmt(score)}`, ...Object.keys(rest).sort().map((k) => `${k}=${fmt(rest[k]!)}`)].join(", ");
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(4));

function program(title: string, p: Scored, language: string, feedbackChars: number, withFeedback: boolean): string {
  const feedback = withFeedback
    ? Object.keys(p.artifacts)
        .sort()
        .map((k) => `Feedback (${k}):\n${cap(p.artifacts[k]!, feedbackChars)}\n`)
        .join("\n")
    : "";
  return `## ${title}\nMetrics: ${metricsLine(p)}\n${feedback ? `${feedback}\n` : ""}\`\`\`${language}\n${p.code}\n\`\`\`\n`;
}

export function mutatorMessages(req: MutationRequest): ChatMessage[] {
  const language = req.problem.language ?? "python";
  const chars = req.options.feedback_chars;
  const parts = [program("Current program", req.parent, language, chars, true)];
  req.top.forEach((p, i) => parts.push(program(`Top program ${i + 1} of this island`, p, language, chars, false)));
  req.inspirations.forEach((p, i) => parts.push(program(`Inspiration ${i + 1} (a different behaviour)`, p, language, chars, false)));
  if (req.previousError) parts.push(`## What went wrong last time\n${cap(req.previousError, chars)}\n`);
  parts.push(`## Your task\nImprove the current program's score. Focus of this change: ${req.angle}\n\n${EDIT_RULES}`);
  return [
    { role: "system", content: `${req.problem.systemPrompt.trim()}\n\n${EDIT_RULES}` },
    { role: "user", content: parts.join("\n") },
  ];
}

export function retryMessage(error: string, chars: number): string {
  return `Your edit could not be applied:\n${cap(error, chars)}\n\nReply again with corrected SEARCH/REPLACE edits.`;
}

export const REWRITE_MESSAGE =
  "Your edits still could not be applied. Reply instead with the complete program in one code block, keeping every EVOLVE-BLOCK-START and EVOLVE-BLOCK-END line and everything outside the blocks unchanged.";
