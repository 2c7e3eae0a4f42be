/**
 * The user scenario as text, exactly as τ² renders it (`UserScenario.__str__`, spec tau2-bench §3): an
 * optional `Persona:` block, then `Instructions:` with the fields tab-indented. Indentation follows
 * Python's textwrap.indent: lines are split where str.splitlines splits, and whitespace-only lines are
 * kept as they are (airline task 21 has one), not emptied.
 */

import type { Instructions, UserScenario } from "./schema.ts";

/** str.splitlines boundaries, captured so they are kept. */
const LINE_BREAK = /(\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])/;
/** Characters Python's str.strip() removes (str.isspace). */
const BLANK = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** textwrap.indent(text, "\t" * tabs). */
function indent(text: string, tabs: number): string {
  const pad = "\t".repeat(tabs);
  // split() with a capturing group alternates line, break, line, …
  return text
    .split(LINE_BREAK)
    .map((part, i) => (i % 2 === 0 && !BLANK.test(part) ? pad + part : part))
    .join("");
}

function renderInstructions(i: Instructions): string {
  const lines = [`Domain: ${i.domain}`, `Reason for call:\n${indent(i.reason_for_call, 1)}`];
  if (i.known_info != null) lines.push(`Known info:\n${indent(i.known_info, 1)}`);
  if (i.unknown_info != null) lines.push(`Unknown info:\n${indent(i.unknown_info, 1)}`);
  lines.push(`Task instructions:\n${indent(i.task_instructions, 1)}`);
  return lines.join("\n");
}

/** The scenario text the user simulator sees between <scenario> tags. */
export function renderScenario(scenario: UserScenario): string {
  const lines: string[] = [];
  if (scenario.persona != null) lines.push("Persona:", indent(scenario.persona, 1));
  const i = scenario.instructions;
  lines.push("Instructions:", indent(typeof i === "string" ? i : renderInstructions(i), 1));
  return lines.join("\n");
}

