/**
 * The sandbox process (child side). Started by the host as `ppol __sandbox-worker` with an empty
 * environment in an empty temp directory. It boots Pyodide (memory snapshot), confines itself
 * (rlimits, Landlock, seccomp on every thread), says "ready", then serves ONE program: load it, call
 * its functions, forward its LLM calls to the host. The host kills it when the program is done.
 */
import { childLlmBridge, LLM_MODULE_PY } from "./bridge.ts";
import { libc, restrictSelf } from "./landlock.ts";

const PR_SET_PDEATHSIG = 1;
import { ChildMessage, chunks, HostMessage, type Confinement } from "./protocol.ts";
import { applyBaseLimits, applyCpuLimit } from "./rlimit.ts";
import { bootPython, PythonError, type PythonRuntime } from "./runtime.ts";
import { installSeccomp, seccompSupported } from "./sandbox-seccomp.ts";
import type { RuntimeAssets } from "./assets.ts";

export const SANDBOX_WORKER_ARG = "__sandbox-worker";

/** Python run once per process before the program: audit hook so refused operations fail clearly. */
const GUARD_PY = `
import sys as _sys
def _ppol_guard():
    banned = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
              "os.kill", "os.killpg", "socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
              "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "urllib.Request",
              "sys.remote_exec", "sys.addaudithook")
    def hook(event, args):
        if event.startswith(banned):
            raise PermissionError(f"sandbox: {event} is not allowed")
    _sys.addaudithook(hook)
    __import__("os").environ.pop("_", None)  # the snapshot-maker's script path
_ppol_guard()
del _ppol_guard
`;

function write(message: ChildMessage) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

export async function runSandboxWorker(): Promise<never> {
  // Die with the host: an orphaned sandbox stuck in a loop would burn CPU until RLIMIT_CPU.
  const ppid = process.ppid;
  libc()?.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0);
  if (process.ppid !== ppid) process.exit(1);
  // stdout is the channel to the host: nothing else may print there.
  const toStderr = (...args: unknown[]) => void process.stderr.write(`${args.map(String).join(" ")}\n`);
  console.log = console.info = console.warn = console.error = console.debug = toStderr;
  let runtime: PythonRuntime | undefined;
  const bridge = childLlmBridge(write);
  let busy: Promise<void> = Promise.resolve();
  let resultCap = Number.POSITIVE_INFINITY;

  const handle = async (msg: HostMessage) => {
    switch (msg.type) {
      case "boot": {
        const started = performance.now();
        runtime = await bootPython({ assets: msg.assets as RuntimeAssets, cacheRoot: msg.cacheRoot, verifiedDir: msg.runtimeDir });
        runtime.pyodide.setStdin({ error: true });
        runtime.registerModule("_ppol_host", bridge.host);
        runtime.pyodide.runPython(LLM_MODULE_PY);
        const confinement = msg.confine ? confine() : unconfined();
        runtime.pyodide.runPython(GUARD_PY);
        // Take the first-use cost of the run/call paths now, while we are a spare, not on a program's clock.
        await runtime.run("def _ppol_warm(x):\n    return [x]\n");
        await runtime.call("_ppol_warm", [1]);
        await runtime.run("del _ppol_warm");
        write({ type: "ready", confinement, bootMs: performance.now() - started });
        return;
      }
      case "load": {
        if (!runtime) throw new Error("load before boot");
        const rt = runtime;
        try {
          if (msg.limits.cpuSeconds > 0) applyCpuLimit(msg.limits.cpuSeconds);
          rt.pyodide.runPython(`__import__("sys").setrecursionlimit(${Math.max(50, Math.floor(msg.limits.recursionLimit))})`);
        } catch (error) {
          // Limits are best effort in --unsafe-sandbox mode; with confinement they were verified at boot.
          if (!(error instanceof Error)) throw error;
        }
        resultCap = msg.limits.resultCap;
        await answer(msg.id, resultCap, async () => {
          if (msg.prelude) await rt.run(msg.prelude, { outputCap: msg.limits.outputCap });
          return rt.run(msg.code, { outputCap: msg.limits.outputCap });
        });
        return;
      }
      case "call": {
        if (!runtime) throw new Error("call before boot");
        const rt = runtime;
        await answer(msg.id, resultCap, () => rt.call(msg.name, JSON.parse(msg.argsJson)));
        return;
      }
      case "llm_reply":
        bridge.settle(msg);
        return;
    }
  };

  let buffered = "";
  for await (const chunk of chunks(Bun.stdin.stream())) {
    buffered += new TextDecoder().decode(chunk);
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      const msg = HostMessage.parse(JSON.parse(line));
      // LLM replies must get through while a call is running; everything else runs in order.
      if (msg.type === "llm_reply") void handle(msg);
      else busy = busy.then(() => handle(msg)).catch((error) => write({ type: "fatal", error: String((error as Error)?.stack ?? error).slice(0, 4000) }));
    }
  }
  await busy;
  process.exit(0);
}

async function answer(id: number, resultCap: number, body: () => Promise<{ value: unknown; stdout: string; stderr: string }>) {
  try {
    const r = await body();
    const resultJson = JSON.stringify(r.value ?? null);
    if (resultJson.length > resultCap) {
      const error = `result is ${resultJson.length} bytes, over the ${resultCap}-byte cap`;
      return write({ type: "done", id, ok: false, kind: "invalid_output", error, stdout: r.stdout, stderr: r.stderr });
    }
    write({ type: "done", id, ok: true, resultJson, stdout: r.stdout, stderr: r.stderr });
  } catch (error) {
    const e = error as PythonError;
    const message = error instanceof PythonError ? `${e.pythonType}: ${e.message.replace(/^Python \S+: /, "")}` : String((error as Error)?.message ?? error);
    const frames = error instanceof PythonError ? programFrames(e.traceback) : "";
    write({
      type: "done",
      id,
      ok: false,
      kind: classify(error),
      // One line saying what happened, then where in the program (Pyodide's own frames left out).
      error: (frames ? `${message}\n${frames}` : message).slice(0, 16_000),
      stdout: cap(e.stdout ?? ""),
      stderr: cap(e.stderr ?? ""),
    });
  }
}

const cap = (s: string) => s.slice(0, 1 << 20);

/** The traceback's frames that belong to the program (not Pyodide's runner), last 12 lines. */
function programFrames(traceback: string): string {
  const kept: string[] = [];
  let keep = false;
  for (const line of traceback.split("\n")) {
    const frame = /^\s*File "([^"]*)"/.exec(line);
    if (frame) keep = !frame[1]!.includes("/_pyodide/");
    else if (!line.startsWith(" ")) keep = false; // header or the final exception line
    if (keep) kept.push(line);
  }
  return kept.slice(-12).join("\n");
}

/** The child's guess at the failure class; the host adds timeout/memory/forbidden from what it observed. */
function classify(error: unknown): "exception" | "forbidden" | "memory" | "invalid_output" {
  const e = error as PythonError;
  const type = error instanceof PythonError ? e.pythonType : "";
  const text = `${type} ${String((error as Error)?.message ?? error)} ${error instanceof PythonError ? e.traceback.slice(-2000) : ""}`;
  if (type === "MemoryError" || /out of memory|Cannot allocate memory|Array buffer allocation failed/i.test(text)) return "memory";
  if (/not JSON-safe/.test(text)) return "invalid_output";
  if (type === "PermissionError" || /\bEACCES\b|\bEPERM\b|permission denied|operation not permitted|sandbox: |does not support processes/i.test(text)) return "forbidden";
  return "exception";
}

function confine(): Confinement {
  // Order matters: limits need /proc (before seccomp), Landlock needs no_new_privs, seccomp goes last.
  applyBaseLimits();
  const ll = restrictSelf();
  if (!seccompSupported()) return { landlock: ll.abi, netRestricted: ll.netRestricted, scoped: ll.scoped, seccomp: false, rlimits: true };
  installSeccomp();
  return { landlock: ll.abi, netRestricted: ll.netRestricted, scoped: ll.scoped, seccomp: true, rlimits: true };
}

function unconfined(): Confinement {
  return { landlock: null, netRestricted: false, scoped: false, seccomp: false, rlimits: false };
}
