/** Resource limits for the sandbox process (setrlimit through bun:ffi; Linux numbering). */
import { ptr } from "bun:ffi";
import { readdirSync } from "node:fs";
import { errno, libc } from "./landlock.ts";

export const RLIMIT = { CPU: 0, FSIZE: 1, DATA: 2, CORE: 4, NPROC: 6, NOFILE: 7, AS: 9 } as const;

export function setLimit(resource: number, soft: bigint, hard: bigint = soft): void {
  const c = libc();
  if (!c) throw new Error("setrlimit needs libc");
  const lim = new BigUint64Array([soft, hard]);
  if (c.setrlimit(resource, ptr(lim)) !== 0) throw new Error(`setrlimit(${resource}) failed (errno ${errno()})`);
}

/**
 * Limits set once the runtime is booted: no core dumps, no file growth, and no new file descriptors
 * beyond a small margin over those already open (the runtime needs none after boot).
 */
export function applyBaseLimits(): void {
  setLimit(RLIMIT.CORE, 0n);
  setLimit(RLIMIT.FSIZE, 0n);
  let open = 64;
  try {
    open = readdirSync("/proc/self/fd").length;
  } catch {
    // keep the default margin
  }
  const n = BigInt(open + 16);
  setLimit(RLIMIT.NOFILE, n, n);
}

/** CPU seconds from now on (the kernel sends SIGXCPU, then SIGKILL one second later). */
export function applyCpuLimit(seconds: number): void {
  const used = process.cpuUsage();
  const now = Math.ceil((used.user + used.system) / 1e6);
  const soft = BigInt(now + Math.max(1, Math.ceil(seconds)));
  setLimit(RLIMIT.CPU, soft, soft + 1n);
}
