/**
 * Near-duplicate detection before any evaluation: normalised token similarity. Code is split into
 * tokens (identifiers, numbers, single symbols: whitespace and layout do not count), each token is paired
 * with the one before it, and two programs compare by the Sørensen–Dice overlap of these pair multisets.
 * Identical token streams give 1; one changed token among n changes two of n pairs.
 */
const TOKEN = /[A-Za-z_]\w*|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|\S/g;

export interface TokenSignature {
  readonly pairs: ReadonlyMap<string, number>;
  readonly size: number;
}

export function tokenSignature(code: string): TokenSignature {
  const pairs = new Map<string, number>();
  let previous = "^";
  let size = 0;
  for (const match of code.matchAll(TOKEN)) {
    const key = `${previous}\u0000${match[0]}`;
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
    previous = match[0];
    size++;
  }
  return { pairs, size };
}

/** Dice overlap of two signatures in [0, 1] (two empty programs are identical). */
export function similarity(a: TokenSignature, b: TokenSignature): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.pairs.size <= b.pairs.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [key, n] of small.pairs) shared += Math.min(n, large.pairs.get(key) ?? 0);
  return (2 * shared) / (a.size + b.size);
}

/** The most similar of `others` to `code` at or above `threshold`, if any. */
export function nearDuplicate<T extends { signature: TokenSignature }>(candidate: TokenSignature, others: Iterable<T>, threshold: number): { match: T; similarity: number } | undefined {
  let best: { match: T; similarity: number } | undefined;
  for (const other of others) {
    const s = similarity(candidate, other.signature);
    if (s >= threshold && (!best || s > best.similarity)) best = { match: other, similarity: s };
  }
  return best;
}
