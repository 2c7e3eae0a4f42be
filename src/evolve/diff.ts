/**
 * SEARCH/REPLACE edits, applied only inside EVOLVE-BLOCK-START / EVOLVE-BLOCK-END regions.
 *
 *   <<<<<<< SEARCH
 *   lines copied from the program
 *   =======
 *   the lines that replace them
 *   >>>>>>> REPLACE
 *
 * A block matches exactly (line by line), else whitespace-tolerantly (indentation and runs of spaces
 * ignored; the replacement is re-indented to the matched lines). A block that matches nothing inside an
 * EVOLVE region is an error naming the block and the nearest lines — never silently dropped.
 * Markers are lines ending in EVOLVE-BLOCK-START / EVOLVE-BLOCK-END after any comment prefix.
 */

export interface EditBlock {
  search: string;
  replace: string;
}

/** Content lines of one EVOLVE region: [start, end) line indices (markers excluded). */
export interface Region {
  start: number;
  end: number;
}

export type Applied = { ok: true; code: string } | { ok: false; error: string };

const START = /EVOLVE-BLOCK-START\s*$/;
const END = /EVOLVE-BLOCK-END\s*$/;

/** The EVOLVE regions of a program; an error message when the markers are unbalanced or missing. */
export function evolveRegions(code: string): Region[] | string {
  const regions: Region[] = [];
  let open: number | undefined;
  const lines = code.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (START.test(lines[i]!)) {
      if (open !== undefined) return `EVOLVE-BLOCK-START on line ${i + 1} inside the block opened on line ${open}`;
      open = i + 1;
    } else if (END.test(lines[i]!)) {
      if (open === undefined) return `EVOLVE-BLOCK-END on line ${i + 1} without a start`;
      regions.push({ start: open, end: i });
      open = undefined;
    }
  }
  if (open !== undefined) return `EVOLVE-BLOCK-START on line ${open} is never closed`;
  if (!regions.length) return "no EVOLVE-BLOCK-START / EVOLVE-BLOCK-END markers";
  return regions;
}

/** The SEARCH/REPLACE blocks of a reply (inside or outside code fences), in order. */
export function parseEditBlocks(reply: string): EditBlock[] {
  const blocks: EditBlock[] = [];
  const lines = reply.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*<{5,}\s*SEARCH\s*$/.test(lines[i]!)) continue;
    const sep = findFrom(lines, i + 1, /^\s*={5,}\s*$/);
    const end = sep < 0 ? -1 : findFrom(lines, sep + 1, /^\s*>{5,}\s*REPLACE\s*$/);
    if (end < 0) break;
    blocks.push({ search: lines.slice(i + 1, sep).join("\n"), replace: lines.slice(sep + 1, end).join("\n") });
    i = end;
  }
  return blocks;
}

function findFrom(lines: string[], from: number, pattern: RegExp): number {
  for (let i = from; i < lines.length; i++) if (pattern.test(lines[i]!)) return i;
  return -1;
}

const squash = (line: string) => line.trim().replace(/\s+/g, " ");
const indentOf = (line: string) => /^\s*/.exec(line)![0];

/** Apply every block in order (each sees the result of the ones before). */
export function applyEdits(code: string, blocks: readonly EditBlock[]): Applied {
  if (!blocks.length) return { ok: false, error: "the reply has no SEARCH/REPLACE blocks (<<<<<<< SEARCH … ======= … >>>>>>> REPLACE)" };
  let lines = code.split("\n");
  for (let b = 0; b < blocks.length; b++) {
    const regions = evolveRegions(lines.join("\n"));
    if (typeof regions === "string") return { ok: false, error: `after SEARCH block ${b} of ${blocks.length}: ${regions}` };
    const search = trimBlankEnds(blocks[b]!.search.split("\n"));
    const label = `SEARCH block ${b + 1} of ${blocks.length}`;
    if (!search.length) return { ok: false, error: `${label} is empty: copy the lines to change from the program` };
    let replace = trimBlankEnds(blocks[b]!.replace.split("\n"));
    let at = findLines(lines, regions, search, (x, y) => x === y);
    if (at < 0) {
      at = findLines(lines, regions, search, (x, y) => squash(x) === squash(y));
      if (at >= 0) replace = reindent(replace, search, lines[at + firstNonBlank(search)]!);
    }
    if (at < 0) return { ok: false, error: notFound(label, lines, regions, search) };
    lines = [...lines.slice(0, at), ...replace, ...lines.slice(at + search.length)];
  }
  return { ok: true, code: lines.join("\n") };
}

function trimBlankEnds(lines: string[]): string[] {
  let a = 0;
  let z = lines.length;
  while (a < z && !lines[a]!.trim()) a++;
  while (z > a && !lines[z - 1]!.trim()) z--;
  return lines.slice(a, z);
}

const firstNonBlank = (lines: readonly string[]) => Math.max(0, lines.findIndex((l) => l.trim()));

/** First line index where `search` matches wholly inside one region, or -1. */
function findLines(lines: readonly string[], regions: readonly Region[], search: readonly string[], same: (a: string, b: string) => boolean): number {
  for (const r of regions)
    for (let i = r.start; i + search.length <= r.end; i++) {
      let j = 0;
      while (j < search.length && same(lines[i + j]!, search[j]!)) j++;
      if (j === search.length) return i;
    }
  return -1;
}

/** Shift the replacement by the indentation difference between the SEARCH text and the matched program lines. */
function reindent(replace: string[], search: readonly string[], matched: string): string[] {
  const from = indentOf(search[firstNonBlank(search)]!);
  const to = indentOf(matched);
  return replace.map((line) => (!line.trim() ? line : line.startsWith(from) ? to + line.slice(from.length) : to + line.trimStart()));
}

/** The error for a block that matches nothing: where it matched outside the regions, or the nearest lines. */
function notFound(label: string, lines: readonly string[], regions: readonly Region[], search: readonly string[]): string {
  const whole: Region[] = [{ start: 0, end: lines.length }];
  const outside = findLines(lines, whole, search, (x, y) => squash(x) === squash(y));
  const first = search[firstNonBlank(search)]!.trim();
  if (outside >= 0) return `${label} matches line ${outside + 1}, outside the EVOLVE blocks: edit only between EVOLVE-BLOCK-START and EVOLVE-BLOCK-END`;
  const near = nearest(lines, regions, search);
  const shown = lines.slice(near, near + search.length).map((l, k) => `${String(near + k + 1).padStart(4)}| ${l}`).join("\n");
  return `${label} matches nothing inside the EVOLVE blocks (its first line: "${first.slice(0, 120)}"). The nearest lines of the program are:\n${shown}\nCopy SEARCH text exactly from the program.`;
}

/** Start of the window (within the regions) whose lines look most like the SEARCH lines. */
function nearest(lines: readonly string[], regions: readonly Region[], search: readonly string[]): number {
  let best = regions[0]!.start;
  let bestScore = -1;
  const want = search.map((l) => bigrams(squash(l)));
  for (const r of regions)
    for (let i = r.start; i < Math.max(r.start + 1, r.end - search.length + 1); i++) {
      let score = 0;
      for (let j = 0; j < search.length && i + j < r.end; j++) score += dice(want[j]!, bigrams(squash(lines[i + j]!)));
      if (score > bestScore) [best, bestScore] = [i, score];
    }
  return best;
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
  return m;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let total = 0;
  for (const [k, n] of a) (shared += Math.min(n, b.get(k) ?? 0), (total += n));
  for (const n of b.values()) total += n;
  return total ? (2 * shared) / total : 1;
}

/**
 * A full rewrite: the reply's program (first fenced block, else the whole reply) must carry the same
 * number of EVOLVE regions as the parent; their contents replace the parent's, everything outside stays.
 */
export function spliceRewrite(parent: string, reply: string): Applied {
  const fenced = /```[\w-]*\n([\s\S]*?)```/.exec(reply);
  const child = fenced ? fenced[1]! : reply;
  const theirs = evolveRegions(child);
  const ours = evolveRegions(parent);
  if (typeof ours === "string") return { ok: false, error: `the parent program: ${ours}` };
  if (typeof theirs === "string") return { ok: false, error: `the rewritten program: ${theirs}; keep the EVOLVE-BLOCK-START / EVOLVE-BLOCK-END lines` };
  if (theirs.length !== ours.length) return { ok: false, error: `the rewritten program has ${theirs.length} EVOLVE blocks, the program has ${ours.length}` };
  const parentLines = parent.split("\n");
  const childLines = child.split("\n");
  const out: string[] = [];
  let from = 0;
  ours.forEach((r, k) => {
    out.push(...parentLines.slice(from, r.start), ...childLines.slice(theirs[k]!.start, theirs[k]!.end));
    from = r.end;
  });
  out.push(...parentLines.slice(from));
  return { ok: true, code: out.join("\n") };
}
