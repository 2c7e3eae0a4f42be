/**
 * OS confinement through raw syscalls from bun:ffi (Linux only). Landlock removes every file-system
 * right (no path is allowed at all: Pyodide is booted before we restrict, its stdlib lives in memory),
 * TCP bind/connect (ABI ≥ 4) and signals / abstract unix sockets to processes outside the domain
 * (ABI ≥ 6). Constants are from the kernel's uapi headers (linux/landlock.h, linux/prctl.h).
 */
import { dlopen, FFIType, ptr, toArrayBuffer } from "bun:ffi";
import { closeSync, openSync } from "node:fs";

const SYS_LANDLOCK_CREATE_RULESET = 444; // same number on every architecture (unified syscall table)
const SYS_LANDLOCK_ADD_RULE = 445;
const SYS_LANDLOCK_RESTRICT_SELF = 446;
const LANDLOCK_RULE_PATH_BENEATH = 1;
const READ_ONLY = (1n << 2n) | (1n << 3n); // READ_FILE | READ_DIR
const LANDLOCK_CREATE_RULESET_VERSION = 1;
export const PR_SET_NO_NEW_PRIVS = 38;

/** File-system rights known per ABI: 13 in ABI 1, REFER in 2, TRUNCATE in 3, IOCTL_DEV in 5. */
function fsRights(abi: number): bigint {
  let bits = (1n << 13n) - 1n;
  if (abi >= 2) bits |= 1n << 13n;
  if (abi >= 3) bits |= 1n << 14n;
  if (abi >= 5) bits |= 1n << 15n;
  return bits;
}

type Libc = ReturnType<typeof openLibc>;
let cached: Libc | null | undefined;

function openLibc() {
  return dlopen("libc.so.6", {
    syscall: { args: [FFIType.i64, FFIType.i64, FFIType.i64, FFIType.i64, FFIType.i64, FFIType.i64], returns: FFIType.i64 },
    prctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u64], returns: FFIType.i32 },
    setrlimit: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    __errno_location: { args: [], returns: FFIType.ptr },
  }).symbols;
}

/** The C library, or null where there is none to bind (not Linux, musl, no FFI). */
export function libc(): Libc | null {
  if (cached !== undefined) return cached;
  try {
    cached = process.platform === "linux" ? openLibc() : null;
  } catch {
    cached = null;
  }
  return cached;
}

/** Landlock ABI version of the running kernel, or null when Landlock is absent or disabled. */
export function landlockAbi(): number | null {
  const c = libc();
  if (!c) return null;
  const v = Number(c.syscall(SYS_LANDLOCK_CREATE_RULESET, 0, 0, LANDLOCK_CREATE_RULESET_VERSION, 0, 0));
  return v > 0 ? v : null;
}

export interface LandlockResult {
  abi: number;
  /** TCP bind/connect denied by Landlock (ABI ≥ 4). */
  netRestricted: boolean;
  /** Signals and abstract unix sockets scoped to the sandbox (ABI ≥ 6). */
  scoped: boolean;
}

/**
 * Irreversibly confine the calling THREAD and every thread or process it creates later. Threads that
 * already exist are not confined (Landlock < ABI 8), so call this first thing in the sandbox process and
 * close the gap for older threads with the seccomp filter (sandbox-seccomp.ts). `readOnly` directories
 * stay readable (the Pyodide cache, needed to boot); nothing else is reachable. Throws on failure.
 */
export function restrictSelf(readOnly: string[] = []): LandlockResult {
  const c = libc();
  const abi = landlockAbi();
  if (!c || !abi) throw new Error("Landlock is not available on this system");
  if (c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) !== 0) throw new Error("prctl(PR_SET_NO_NEW_PRIVS) failed");
  // struct landlock_ruleset_attr { u64 handled_access_fs; u64 handled_access_net; u64 scoped; }
  const attr = new BigUint64Array(3);
  attr[0] = fsRights(abi);
  let size = 8;
  if (abi >= 4) {
    attr[1] = 0b11n; // BIND_TCP | CONNECT_TCP
    size = 16;
  }
  if (abi >= 6) {
    attr[2] = 0b11n; // SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
    size = 24;
  }
  const fd = Number(c.syscall(SYS_LANDLOCK_CREATE_RULESET, Number(ptr(attr)), size, 0, 0, 0, 0));
  if (fd < 0) throw new Error(`landlock_create_ruleset failed (errno ${errno()})`);
  for (const dir of readOnly) {
    // struct landlock_path_beneath_attr { u64 allowed_access; s32 parent_fd; } __attribute__((packed))
    const handle = openSync(dir, "r");
    const rule = new DataView(new ArrayBuffer(12));
    rule.setBigUint64(0, READ_ONLY, true);
    rule.setInt32(8, handle, true);
    const added = Number(c.syscall(SYS_LANDLOCK_ADD_RULE, fd, LANDLOCK_RULE_PATH_BENEATH, Number(ptr(rule)), 0, 0, 0));
    closeSync(handle);
    if (added !== 0) throw new Error(`landlock_add_rule failed for ${dir} (errno ${errno()})`);
  }
  const rc = Number(c.syscall(SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0, 0, 0, 0));
  if (rc !== 0) throw new Error(`landlock_restrict_self failed (errno ${errno()})`);
  return { abi, netRestricted: abi >= 4, scoped: abi >= 6 };
}

export function errno(): number {
  const c = libc();
  if (!c) return 0;
  const p = c.__errno_location();
  return p ? new Int32Array(toArrayBuffer(p, 4))[0]! : 0;
}

