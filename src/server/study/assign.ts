/**
 * Study design, pure over an injected RNG: a balanced draw of conversations per condition, item numbers
 * in a random order unrelated to the source, and one independent order per annotator.
 */
import { InputError } from "../../errors.ts";
import type { Rng } from "../../rng.ts";
import type { ShownMessage } from "../../store/index.ts";

export interface Candidate {
  ref: string;
  messages: ShownMessage[];
}

export interface Pool {
  condition: string;
  candidates: Candidate[];
}

export interface DrawnItem {
  item: number;
  condition: string;
  sourceRef: string;
  messages: ShownMessage[];
}

/** Fisher–Yates on a copy. */
export function shuffled<T>(xs: readonly T[], rng: Rng): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * n items split as evenly as possible over the conditions (the remainder goes to conditions drawn at
 * random), each drawn without replacement from conversations that have a customer turn.
 */
export function drawItems(pools: readonly Pool[], n: number, rng: Rng): DrawnItem[] {
  if (pools.length < 2) throw new InputError("a study needs the human set and at least one --from source", "add --from RUN|SET");
  const base = Math.floor(n / pools.length);
  const extra = new Set(shuffled(pools.map((_, i) => i), rng).slice(0, n % pools.length));
  const picked = pools.flatMap((pool, i) => {
    const quota = base + (extra.has(i) ? 1 : 0);
    const usable = pool.candidates.filter((c) => c.messages.some((m) => m.speaker === "customer"));
    if (usable.length < quota)
      throw new InputError(`"${pool.condition}" has ${usable.length} usable conversations, the study needs ${quota} from it`, "lower --n or add conversations to that source");
    return shuffled(usable, rng)
      .slice(0, quota)
      .map((c) => ({ condition: pool.condition, sourceRef: c.ref, messages: c.messages }));
  });
  return shuffled(picked, rng).map((p, item) => ({ item, ...p }));
}

/** One random order of all items per annotator. */
export function annotatorOrders(items: number, annotators: number, rng: Rng): number[][] {
  const all = Array.from({ length: items }, (_, i) => i);
  return Array.from({ length: annotators }, () => shuffled(all, rng));
}
