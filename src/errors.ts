/**
 * Errors that carry their exit code and a fix. Every boundary (CLI flag, file, config value,
 * HTTP payload) throws one of these so the CLI can print one clear line and exit correctly.
 */
export class PpolError extends Error {
  constructor(
    message: string,
    /** What the user should do about it; printed after the message. */
    readonly hint?: string,
    readonly exitCode: 1 | 2 = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends PpolError {
  constructor(message: string, hint?: string) {
    super(message, hint, 2);
  }
}

/** Bad input data (a file, a config value, a record): exit 2. Name the file and the field. */
export class InputError extends PpolError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, hint, 2, options);
  }
}

/** One line for stderr: the message, then the fix. */
export function describeError(error: unknown): string {
  if (error instanceof PpolError) return error.hint ? `${error.message} — ${error.hint}` : error.message;
  if (error instanceof Error) return error.message.split("\n")[0] ?? String(error);
  return String(error);
}

export function exitCodeOf(error: unknown): number {
  return error instanceof PpolError ? error.exitCode : 1;
}

/** Closest candidate by edit distance, for "did you mean" suggestions. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
