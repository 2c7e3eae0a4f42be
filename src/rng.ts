/** A small seeded PRNG (mulberry32): every random choice in ppol (forests, k-means, jitter, routing) takes one explicitly. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform 32-bit unsigned integer (to seed child generators). */
  uint32(): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const uint32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { uint32, next: () => uint32() / 4294967296, int: (n) => Math.floor((uint32() / 4294967296) * n) };
}
