import { basename, dirname } from "node:path";
import { InputError } from "../errors.ts";
import type { Conversation } from "../model/index.ts";

/**
 * MultiDoGO customer turns (corpora/README): tab-separated with a header; utterances may be double-quoted
 * and span lines. Customer turns are grouped by conversationId (first-seen order) and ordered by
 * turnNumber. Agent turns are not in the release, so each conversation holds user messages only.
 */
export function parseMultidogo(text: string, file: string, opts: { domain?: string; source?: string }): Conversation[] {
  const rows = parseTsv(text, file);
  const header = rows.shift();
  const col = (name: string) => {
    const i = header?.indexOf(name) ?? -1;
    if (i < 0) throw new InputError(`${file}:1: missing column "${name}"`, "MultiDoGO TSV needs a header with conversationId, turnNumber, utterance");
    return i;
  };
  const [ci, ti, ui] = [col("conversationId"), col("turnNumber"), col("utterance")];
  const domain = opts.domain ?? basename(dirname(file));
  const split = basename(file).replace(/\.tsv$/, "");
  const groups = new Map<string, { turn: number; text: string }[]>();
  for (const { cells, line } of rows.map((cells, k) => ({ cells, line: k + 2 }))) {
    if (cells.length === 1 && cells[0] === "") continue;
    const id = cells[ci];
    const turn = Number(cells[ti]);
    const utterance = cells[ui];
    if (!id || utterance === undefined || !Number.isFinite(turn))
      throw new InputError(`${file}: row ${line}: needs conversationId, a numeric turnNumber and an utterance`, "check the row's tabs and quoting");
    let g = groups.get(id);
    if (!g) groups.set(id, (g = []));
    g.push({ turn, text: utterance });
  }
  return [...groups].map(([id, turns]) => ({
    id,
    source: opts.source ?? "human",
    ...(domain ? { domain } : {}),
    messages: turns.sort((a, b) => a.turn - b.turn).map((t) => ({ role: "user" as const, content: t.text })),
    meta: { file: split },
  }));
}

/** Tab-separated rows; a field that starts with `"` runs to the closing quote (`""` escapes a quote). */
function parseTsv(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        if (i >= n) throw new InputError(`${file}: row ${rows.length + 1}: unterminated quoted field`, "close the quote or remove it");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      const end = nextDelimiter(text, i);
      row.push(value + text.slice(i, end));
      i = end;
    } else {
      const end = nextDelimiter(text, i);
      row.push(text.slice(i, end));
      i = end;
    }
    if (text[i] === "\t") {
      i++;
      continue;
    }
    if (text[i] === "\r") i++;
    rows.push(row);
    row = [];
    i++;
    if (i >= n) break;
  }
  return rows;
}

function nextDelimiter(text: string, from: number): number {
  let j = from;
  while (j < text.length && text[j] !== "\t" && text[j] !== "\n" && text[j] !== "\r") j++;
  return j;
}
