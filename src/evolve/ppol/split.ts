/**
 * Which tasks an evaluation sees, as the PPol reference decides it (its evolution/fitness.py and
 * config.py): a validation hold-out drawn with Python's `random.Random(seed).shuffle`, a deterministic
 * sliding batch over the rest, and the personas-per-task curriculum. Pure.
 */

const N = 624;
const M = 397;

/** CPython's Mersenne Twister (MT19937 seeded by init_by_array, as `random.Random(int)` seeds it). */
class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`PythonRandom: seed must be a non-negative safe integer, got ${seed}`);
    // Python seeds with abs(n) split into 32-bit words, least significant first (0 → one word 0).
    const key: number[] = [];
    for (let s = seed; s > 0 || key.length === 0; s = Math.floor(s / 2 ** 32)) key.push(s % 2 ** 32);
    this.initByArray(key);
  }

  private initGenrand(s: number) {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) mt[i] = (Math.imul(1812433253, mt[i - 1]! ^ (mt[i - 1]! >>> 30)) + i) >>> 0;
  }

  private initByArray(key: readonly number[]) {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      mt[i] = ((mt[i]! ^ Math.imul(mt[i - 1]! ^ (mt[i - 1]! >>> 30), 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) [mt[0], i] = [mt[N - 1]!, 1];
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = ((mt[i]! ^ Math.imul(mt[i - 1]! ^ (mt[i - 1]! >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) [mt[0], i] = [mt[N - 1]!, 1];
    }
    mt[0] = 0x80000000;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `_randbelow(n)` by rejection on getrandbits(n.bit_length()), for 1 ≤ n < 2³². */
  randbelow(n: number): number {
    const bits = 32 - Math.clz32(n);
    for (;;) {
      const r = this.next32() >>> (32 - bits);
      if (r < n) return r;
    }
  }
}

/** `random.Random(seed).shuffle(items)` exactly as CPython does it, on a copy. */
export function pythonShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rng = new PythonRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.randbelow(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The validation hold-out: shuffle the train ids with `random.Random(seed)`, hold out
 * n_val = min(max(1, ⌊len·fraction⌋), len − 1) from the front, train on the rest (in shuffled order).
 */
export function holdOut(trainIds: readonly string[], opts: { fraction: number; seed: number }): { train: string[]; validation: string[] } {
  if (trainIds.length < 2) throw new Error(`holdOut: needs at least 2 tasks, got ${trainIds.length}`);
  const ids = pythonShuffle(trainIds, opts.seed);
  // int(len · fraction) in Python: the same double product, truncated.
  const nVal = Math.min(Math.max(1, Math.floor(ids.length * opts.fraction)), ids.length - 1);
  return { validation: ids.slice(0, nVal), train: ids.slice(nVal) };
}

export interface Batch<T> {
  items: T[];
  /** 1-based, like the reference's counters. */
  epoch: number;
  batchInEpoch: number;
  stepsPerEpoch: number;
}

/**
 * Deterministic sliding window for the 1-based `iteration`: one epoch is a sweep over the list in steps
 * of `size`; a short last batch is filled from the start of the list.
 */
export function slidingBatch<T>(list: readonly T[], iteration: number, size: number): Batch<T> {
  const n = list.length;
  if (n === 0) return { items: [], epoch: 0, batchInEpoch: 0, stepsPerEpoch: 0 };
  const bs = Math.max(1, Math.min(size, n));
  const stepsPerEpoch = Math.ceil(n / bs);
  const batchInEpoch = ((iteration - 1) % stepsPerEpoch) + 1;
  const epoch = Math.floor((iteration - 1) / stepsPerEpoch) + 1;
  const start = (batchInEpoch - 1) * bs;
  const items = list.slice(start, start + bs);
  if (items.length < bs) items.push(...list.slice(0, bs - items.length));
  return { items, epoch, batchInEpoch, stepsPerEpoch };
}

/** Above this many train tasks an epoch spans too many iterations: the curriculum steps by iteration instead. */
export const LARGE_TRAIN_POOL = 100;
/** Iterations per curriculum stage on a large pool. */
export const ITERATIONS_PER_STAGE = 20;

/**
 * Personas per task N for an evaluation: the schedule's N of the largest epoch threshold ≤ epoch (before
 * the first threshold: `final`); on a pool of more than 100 tasks, stage k covers iterations
 * 20k+1 … 20(k+1), holding the last N afterwards.
 */
export function personasPerTask(schedule: readonly (readonly [number, number])[], opts: { epoch: number; iteration: number; trainSize: number; final: number }): number {
  const sorted = [...schedule].sort((a, b) => a[0] - b[0]);
  if (!sorted.length) return opts.final;
  if (opts.trainSize > LARGE_TRAIN_POOL) {
    const stage = Math.min(Math.floor((Math.max(1, opts.iteration) - 1) / ITERATIONS_PER_STAGE), sorted.length - 1);
    return Math.max(1, sorted[stage]![1]);
  }
  let n = opts.final;
  for (const [threshold, count] of sorted) if (opts.epoch >= threshold) n = Math.max(1, count);
  return n;
}
