/**
 * A seccomp-BPF filter installed on EVERY thread of the sandbox process (SECCOMP_FILTER_FLAG_TSYNC).
 * Landlock confines only the thread that asks and its future children, but Bun keeps older threads
 * (its I/O thread pool, the HTTP thread) that Python could drive through the JS realm; this filter
 * closes them: no file opened, no path changed, no socket, no new process, no exec, no ptrace.
 * x86-64 only (syscall numbers differ per architecture); elsewhere we report it as unavailable.
 */
import { ptr } from "bun:ffi";
import { errno, libc } from "./landlock.ts";

const SYS_SECCOMP = 317;
const SECCOMP_SET_MODE_FILTER = 1;
const SECCOMP_FILTER_FLAG_TSYNC = 1;
const AUDIT_ARCH_X86_64 = 0xc000003e;

const RET_ALLOW = 0x7fff0000;
const RET_KILL_PROCESS = 0x80000000;
const retErrno = (e: number) => 0x00050000 | e;
const EPERM = 1;
const EACCES = 13;
const ENOSYS = 38;
const CLONE_THREAD = 0x10000;

// BPF opcodes (linux/bpf_common.h)
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const JSET_K = 0x45;
const RET_K = 0x06;

/** Syscalls answered with an error, so Python sees a clean exception (classified "forbidden"). */
const DENY: Record<number, number> = {
  2: EACCES, // open
  85: EACCES, // creat
  257: EACCES, // openat
  437: EACCES, // openat2
  303: EACCES, // name_to_handle_at
  304: EACCES, // open_by_handle_at
  41: EACCES, // socket
  53: EACCES, // socketpair
  42: EACCES, // connect
  49: EACCES, // bind
  50: EACCES, // listen
  43: EACCES, // accept
  288: EACCES, // accept4
  82: EACCES, 264: EACCES, 316: EACCES, // rename, renameat, renameat2
  83: EACCES, 258: EACCES, 84: EACCES, // mkdir, mkdirat, rmdir
  87: EACCES, 263: EACCES, // unlink, unlinkat
  86: EACCES, 265: EACCES, 88: EACCES, 266: EACCES, // link, linkat, symlink, symlinkat
  90: EACCES, 268: EACCES, 452: EACCES, // chmod, fchmodat, fchmodat2
  92: EACCES, 94: EACCES, 260: EACCES, // chown, lchown, fchownat
  76: EACCES, 133: EACCES, 259: EACCES, // truncate, mknod, mknodat
  132: EACCES, 235: EACCES, 261: EACCES, 280: EACCES, // utime, utimes, futimesat, utimensat
  435: ENOSYS, // clone3: glibc falls back to clone(), whose flags we can inspect
  425: ENOSYS, 426: ENOSYS, 427: ENOSYS, // io_uring (would bypass this filter)
  165: EPERM, 166: EPERM, 155: EPERM, 161: EPERM, // mount, umount2, pivot_root, chroot
  272: EPERM, 308: EPERM, // unshare, setns
  101: EPERM, 310: EPERM, 311: EPERM, // ptrace, process_vm_readv/writev
  321: EPERM, 298: EPERM, 323: EPERM, // bpf, perf_event_open, userfaultfd
  248: EPERM, 249: EPERM, 250: EPERM, // add_key, request_key, keyctl
  246: EPERM, 320: EPERM, 175: EPERM, 313: EPERM, // kexec_load, kexec_file_load, init_module, finit_module
  169: EPERM, 163: EPERM, 167: EPERM, 168: EPERM, // reboot, acct, swapon, swapoff
  135: EPERM, 112: EPERM, // personality, setsid
  200: EPERM, // tkill
  254: EACCES, 300: EPERM, 301: EPERM, // inotify_add_watch (would watch host paths), fanotify_init/mark
  // Extended attributes by path: Landlock has no xattr right, and older threads are not Landlocked.
  188: EACCES, 189: EACCES, 190: EACCES, 191: EACCES, 192: EACCES, 194: EACCES, 195: EACCES, // set/get/list xattr
  197: EACCES, 198: EACCES, 199: EACCES, 463: EACCES, 464: EACCES, 465: EACCES, 466: EACCES, // remove xattr, *xattrat
  134: EACCES, 240: EACCES, 241: EACCES, // uselib, mq_open, mq_unlink
  // Capabilities a process started by root would still hold: clock, host names, kernel log, I/O ports,
  // modules, quotas, new mount API, System V IPC shared with other processes.
  164: EPERM, 227: EPERM, 159: EPERM, 305: EPERM, // settimeofday, clock_settime, adjtimex, clock_adjtime
  170: EPERM, 171: EPERM, 103: EPERM, 153: EPERM, // sethostname, setdomainname, syslog, vhangup
  172: EPERM, 173: EPERM, 176: EPERM, 179: EPERM, 443: EPERM, // iopl, ioperm, delete_module, quotactl(_fd)
  156: EPERM, 180: EPERM, 212: EPERM, // _sysctl, nfsservctl, lookup_dcookie
  428: EPERM, 429: EPERM, 430: EPERM, 431: EPERM, 432: EPERM, 433: EPERM, 442: EPERM, // new mount API
  29: EPERM, 30: EPERM, 31: EPERM, 64: EPERM, 65: EPERM, 66: EPERM, 220: EPERM, // shm*, sem*
  68: EPERM, 69: EPERM, 70: EPERM, 71: EPERM, // msg*
  438: EPERM, 440: EPERM, 312: EPERM, 256: EPERM, 279: EPERM, // pidfd_getfd, process_madvise, kcmp, migrate/move_pages
};
/**
 * Calls that may target another process of the same user (renice the host, shrink its rlimits, pin
 * it to a CPU): allowed only on the sandbox itself, i.e. when the pid argument is 0.
 */
const SELF_ONLY: [nr: number, pidArg: number][] = [
  [302, 0], // prlimit64(pid, …): glibc's setrlimit/getrlimit pass 0
  [141, 1], // setpriority(which, who, prio)
  [251, 1], // ioprio_set(which, who, prio)
  [203, 0], // sched_setaffinity(pid, …)
  [142, 0], // sched_setparam(pid, …)
  [144, 0], // sched_setscheduler(pid, …)
  [314, 0], // sched_setattr(pid, …)
];
/**
 * Signals only to the sandbox itself (pid known when the filter is built), so the host and its process
 * group are out of reach even where Landlock cannot scope signals (ABI < 6). kill(0, …) would reach the
 * host's process group, hence "== own pid", not "!= 0". tkill takes a bare thread id and is refused.
 */
const SIGNAL_SELF: [nr: number, pidArg: number][] = [
  [62, 0], // kill(pid, sig)
  [234, 0], // tgkill(tgid, tid, sig)
  [129, 0], // rt_sigqueueinfo(tgid, …)
  [297, 0], // rt_tgsigqueueinfo(tgid, …)
  [434, 0], // pidfd_open(pid, …)
];
/** Creating processes or running programs ends the sandbox on the spot (seen by the host as SIGSYS). */
const KILL = [57, 58, 59, 322]; // fork, vfork, execve, execveat
const SYS_CLONE = 56;

type Insn = [code: number, jt: number, jf: number, k: number];

function program(selfPid: number): Insn[] {
  const p: Insn[] = [
    [LD_W_ABS, 0, 0, 4], // arch
    [JEQ_K, 1, 0, AUDIT_ARCH_X86_64],
    [RET_K, 0, 0, RET_KILL_PROCESS],
    [LD_W_ABS, 0, 0, 0], // syscall number
    [JGE_K, 0, 1, 0x40000000], // x32 ABI
    [RET_K, 0, 0, RET_KILL_PROCESS],
  ];
  // clone: allowed for threads only (flags are arg 0, low word at offset 16)
  p.push([JEQ_K, 0, 4, SYS_CLONE], [LD_W_ABS, 0, 0, 16], [JSET_K, 0, 1, CLONE_THREAD], [RET_K, 0, 0, RET_ALLOW], [RET_K, 0, 0, RET_KILL_PROCESS]);
  for (const nr of KILL) p.push([JEQ_K, 0, 1, nr], [RET_K, 0, 0, RET_KILL_PROCESS]);
  for (const [nr, arg] of SELF_ONLY) {
    // Both outcomes return, so the argument load never leaks into later checks. Allowed when the pid's
    // low word is 0 (pid_t is 32-bit), else EPERM.
    p.push([JEQ_K, 0, 4, nr], [LD_W_ABS, 0, 0, 16 + 8 * arg], [JEQ_K, 0, 1, 0], [RET_K, 0, 0, RET_ALLOW], [RET_K, 0, 0, retErrno(EPERM)]);
  }
  for (const [nr, arg] of SIGNAL_SELF) {
    p.push([JEQ_K, 0, 4, nr], [LD_W_ABS, 0, 0, 16 + 8 * arg], [JEQ_K, 0, 1, selfPid], [RET_K, 0, 0, RET_ALLOW], [RET_K, 0, 0, retErrno(EPERM)]);
  }
  for (const [nr, e] of Object.entries(DENY)) p.push([JEQ_K, 0, 1, Number(nr)], [RET_K, 0, 0, retErrno(e)]);
  p.push([RET_K, 0, 0, RET_ALLOW]);
  return p;
}

export function seccompSupported(): boolean {
  return process.platform === "linux" && process.arch === "x64" && libc() !== null;
}

/** Install the filter on all threads; requires no_new_privs (set by landlock.restrictSelf). Throws on failure. */
export function installSeccomp(): void {
  const c = libc();
  if (!c || !seccompSupported()) throw new Error("seccomp filters need Linux on x86-64");
  const insns = program(process.pid);
  const filter = new DataView(new ArrayBuffer(insns.length * 8));
  insns.forEach(([code, jt, jf, k], i) => {
    filter.setUint16(i * 8, code, true);
    filter.setUint8(i * 8 + 2, jt);
    filter.setUint8(i * 8 + 3, jf);
    filter.setUint32(i * 8 + 4, k >>> 0, true);
  });
  // struct sock_fprog { unsigned short len; struct sock_filter *filter; } (pointer at offset 8)
  const fprog = new DataView(new ArrayBuffer(16));
  fprog.setUint16(0, insns.length, true);
  fprog.setBigUint64(8, BigInt(ptr(filter)), true);
  if (c.prctl(38, 1, 0, 0, 0) !== 0) throw new Error("prctl(PR_SET_NO_NEW_PRIVS) failed");
  const rc = Number(c.syscall(SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, Number(ptr(fprog)), 0, 0, 0));
  if (rc !== 0) throw new Error(`seccomp(SET_MODE_FILTER, TSYNC) failed (${rc > 0 ? `thread ${rc} could not sync` : `errno ${errno()}`})`);
}
