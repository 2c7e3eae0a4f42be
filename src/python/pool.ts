/**
 * A pool of pre-booted sandbox processes. Each program gets a fresh process (never reused: nothing
 * leaks between programs); spares booted in the background keep the ~1 s boot off the critical path.
 */
import { PpolError } from "../errors.ts";
import type { LlmBudget } from "./bridge.ts";
import { landlockAbi } from "./landlock.ts";
import type { GeneratorLlm, Outcome } from "./protocol.ts";
import { DEFAULT_LIMITS, SandboxProcess, type Limits, type SpawnOptions } from "./sandbox.ts";
import { seccompSupported } from "./sandbox-seccomp.ts";
import { ensureRuntimeDir } from "./cache.ts";

export interface SandboxSupport {
  platform: string;
  /** Landlock ABI version, null when absent. */
  landlock: number | null;
  /** TCP bind/connect denied by Landlock (ABI ≥ 4); sockets are also refused by seccomp. */
  netRestricted: boolean;
  /** seccomp filter available (Linux x86-64). */
  seccomp: boolean;
  /** Everything needed to run untrusted programs is there. */
  confined: boolean;
  detail: string;
}

/** What this machine offers for confinement (for `ppol doctor` and for refusing untrusted code). */
export function sandboxSupport(): SandboxSupport {
  const abi = landlockAbi();
  const seccomp = seccompSupported();
  const confined = abi !== null && seccomp;
  const missing = [abi === null ? "Landlock (Linux ≥ 5.13 with landlock in the LSM list)" : "", seccomp ? "" : "seccomp (Linux on x86-64)"].filter(Boolean);
  return {
    platform: `${process.platform}-${process.arch}`,
    landlock: abi,
    netRestricted: abi !== null && abi >= 4,
    seccomp,
    confined,
    detail: confined ? `Landlock ABI ${abi}, seccomp filter, rlimits` : `missing: ${missing.join(", ")}`,
  };
}

export interface PoolOptions extends Omit<SpawnOptions, "unsafe"> {
  /** Spare processes kept booted (default 1). */
  spares?: number;
  /** Run programs without OS confinement (the user passed --unsafe-sandbox). */
  unsafe?: boolean;
  /** What the OS offers (default: probed with sandboxSupport()); injectable for tests. */
  support?: SandboxSupport;
}

export interface SandboxPool {
  readonly unsafe: boolean;
  /** A booted, confined process for one program; the caller disposes it. */
  acquire(): Promise<SandboxProcess>;
  /** Wait until the spares are booted (benchmarks, warm starts). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

const REFILL_DELAY_MS = 150;

export function createSandboxPool(options: PoolOptions): SandboxPool {
  const unsafe = options.unsafe === true;
  if (!unsafe) {
    const support = options.support ?? sandboxSupport();
    if (!support.confined)
      throw new PpolError(`this system cannot confine untrusted Python programs (${support.detail})`, "pass --unsafe-sandbox to run them anyway (recorded in the run)", 1);
  }
  // Unpack/verify the runtime once here, so children only read it.
  const { dir: runtimeDir } = ensureRuntimeDir(options.cacheRoot, options.assets);
  const spares: SandboxProcess[] = [];
  const target = options.spares ?? 1;
  const all = new Set<SandboxProcess>();
  let closed = false;
  const spawn = () => {
    const p = new SandboxProcess({ ...options, unsafe, runtimeDir });
    all.add(p);
    p.ready.catch(() => all.delete(p));
    return p;
  };
  const refill = () => {
    while (!closed && spares.length < target) spares.push(spawn());
  };
  refill();
  return {
    unsafe,
    async acquire() {
      if (closed) throw new Error("sandbox pool is closed");
      const p = spares.shift() ?? spawn();
      // Boot the replacement a moment later: a boot takes a whole core for ~1 s, and the program that
      // just got its process should not share the CPU with it while it starts.
      setTimeout(refill, REFILL_DELAY_MS).unref?.();
      try {
        await p.ready;
      } catch (error) {
        all.delete(p);
        throw new PpolError(String((error as Error).message), "run `ppol doctor`; --unsafe-sandbox skips OS confinement", 1);
      }
      return p;
    },
    async warm() {
      await Promise.all(spares.map((p) => p.ready.catch(() => {})));
    },
    async close() {
      closed = true;
      await Promise.all([...all].map((p) => p.dispose()));
      all.clear();
    },
  };
}

export interface ProgramRun {
  code: string;
  filename: string;
  /** Host Python run before the program in its namespace (e.g. persona plumbing). */
  prelude?: string;
  /** Function to call after loading (its value is the result); else the last expression's value. */
  call?: { name: string; args: unknown[] };
  limits?: Partial<Limits>;
  llm?: GeneratorLlm;
  budget?: LlmBudget;
}

/** Run one program in a fresh process from the pool, then discard the process. */
export async function runProgram(pool: SandboxPool, run: ProgramRun): Promise<Outcome> {
  const limits = { ...DEFAULT_LIMITS, ...run.limits };
  const p = await pool.acquire();
  try {
    const loaded = await p.load(run.code, run.filename, limits, run.prelude ?? "", run.llm, run.budget);
    if (!loaded.ok || !run.call) return loaded;
    const called = await p.call(run.call.name, run.call.args, limits);
    return { ...called, stdout: loaded.stdout + called.stdout, stderr: loaded.stderr + called.stderr, ms: loaded.ms + called.ms };
  } finally {
    void p.dispose();
  }
}
