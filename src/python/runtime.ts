import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { loadPyodide, type PyodideAPI } from "pyodide";
import { PpolError } from "../errors.ts";
import { writeFileAtomic } from "../files.ts";
import { sha256 } from "../hash.ts";
import type { RuntimeAssets } from "./assets.ts";
import { ensureRuntimeDir } from "./cache.ts";
import { HELPERS_PY } from "./helpers.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface RunOptions {
  /** Made available to the code as the Python value `ppol_input` (JSON-decoded). */
  input?: Json;
  /** Bytes of stdout and of stderr kept; the rest is counted and dropped. Default 64 KiB. */
  outputCap?: number;
}

export interface RunResult {
  value: Json;
  stdout: string;
  stderr: string;
  /** True when stdout or stderr went over the cap. */
  truncated: boolean;
  ms: number;
}

export class PythonError extends PpolError {
  constructor(
    readonly pythonType: string,
    message: string,
    readonly traceback: string,
    readonly stdout = "",
    readonly stderr = "",
  ) {
    super(`Python ${pythonType}: ${message}`, undefined, 1);
  }
}

export interface PythonRuntime {
  readonly pythonVersion: string;
  readonly pyodideVersion: string;
  readonly boot: { ms: number; kind: "snapshot" | "cold"; cacheDir: string; unpacked: boolean };
  /** Run code in the runtime's namespace; returns the last expression's value as JSON-safe data. */
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** Call a function defined by earlier `run` code (awaited if it is async) with JSON arguments. */
  call(name: string, args?: Json[], options?: Omit<RunOptions, "input">): Promise<RunResult>;
  /** Expose a JS object to Python as an importable module (the only way host capabilities get in). */
  registerModule(name: string, module: object): void;
  /** Escape hatch for the sandbox worker; trusted code only. */
  readonly pyodide: PyodideAPI;
}

export interface BootOptions {
  assets: RuntimeAssets;
  cacheRoot: string;
  /** Use (and create) the memory snapshot. Default true. */
  snapshot?: boolean;
  /**
   * The runtime directory, already verified by the caller moments ago (a sandbox process is told it by
   * its parent): skips re-hashing the ~60 MB of runtime files on every sandbox boot.
   */
  verifiedDir?: string;
}

/**
 * Boot Pyodide from the verified cache directory. With a memory snapshot beside the runtime the boot
 * takes well under a second; without one we boot cold, take the snapshot, and store it for next time.
 * A snapshot that fails to load is deleted and rebuilt (self-repair).
 */
export async function bootPython(options: BootOptions): Promise<PythonRuntime> {
  const started = performance.now();
  const { dir, unpacked } = options.verifiedDir ? { dir: options.verifiedDir, unpacked: false } : ensureRuntimeDir(options.cacheRoot, options.assets);
  const indexURL = `${dir}/`;
  const snapshotPath = join(dir, `snapshot-bun${Bun.version}.bin`);
  const quiet = { stdout: () => {}, stderr: () => {} };
  let pyodide: PyodideAPI | undefined;
  let kind: "snapshot" | "cold" = "cold";

  if (options.snapshot !== false) {
    const snapshot = readVerifiedSnapshot(snapshotPath);
    if (snapshot) {
      try {
        pyodide = await loadPyodide({ indexURL, _loadSnapshot: snapshot, ...quiet } as any);
        kind = "snapshot";
      } catch {
        rmSync(snapshotPath, { force: true });
      }
    }
  }
  if (!pyodide) {
    const makeSnapshot = options.snapshot !== false;
    pyodide = await loadPyodide({ indexURL, ...(makeSnapshot ? { _makeSnapshot: true } : {}), ...quiet } as any);
    if (makeSnapshot) {
      try {
        const bytes = (pyodide as any).makeMemorySnapshot() as Uint8Array;
        // One file, hash first: a single atomic rename, so racing writers can't mix halves.
        writeFileAtomic(snapshotPath, Buffer.concat([Buffer.from(sha256(bytes)), bytes]));
      } catch {
        // A read-only cache still boots, just cold every time.
      }
    }
  }
  return createRuntime(pyodide, { ms: performance.now() - started, kind, cacheDir: dir, unpacked }, options.assets.version);
}

/** The snapshot file is the hex sha256 of the snapshot (64 bytes) followed by the snapshot itself. */
function readVerifiedSnapshot(path: string): Uint8Array | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const file = readFileSync(path);
    const bytes = file.subarray(64);
    if (file.length > 64 && sha256(bytes) === file.subarray(0, 64).toString("latin1")) return bytes;
  } catch {
    // fall through to rebuild
  }
  rmSync(path, { force: true });
  return undefined;
}

function createRuntime(pyodide: PyodideAPI, boot: PythonRuntime["boot"], pyodideVersion: string): PythonRuntime {
  const namespace = pyodide.globals.get("dict")();
  pyodide.runPython(HELPERS_PY, { globals: namespace });
  const invoke = namespace.get("_ppol_invoke");
  const dump = namespace.get("_ppol_dump");
  const pythonVersion = pyodide.runPython("import sys; sys.version.split()[0]") as string;
  let queue: Promise<unknown> = Promise.resolve();

  // stdout/stderr are interpreter-wide, so runs are serialised and each gets its own capture.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };

  const capture = async (cap: number, body: () => Promise<unknown>): Promise<RunResult> => {
    const out = new Capture(cap);
    const err = new Capture(cap);
    pyodide.setStdout({ write: (b: Uint8Array) => out.write(b), isatty: false });
    pyodide.setStderr({ write: (b: Uint8Array) => err.write(b), isatty: false });
    const started = performance.now();
    try {
      const raw = await body();
      const value = toJson(raw, dump);
      return { value, stdout: out.text(), stderr: err.text(), truncated: out.dropped + err.dropped > 0, ms: performance.now() - started };
    } catch (error) {
      throw asPythonError(error, out.text(), err.text());
    } finally {
      pyodide.setStdout({});
      pyodide.setStderr({});
    }
  };

  return {
    pythonVersion,
    pyodideVersion,
    boot,
    pyodide,
    registerModule: (name, module) => pyodide.registerJsModule(name, module),
    run: (code, options = {}) =>
      exclusive(() =>
        capture(options.outputCap ?? 65_536, async () => {
          namespace.set("_ppol_input_json", JSON.stringify(options.input ?? null));
          pyodide.runPython("ppol_input = __import__('json').loads(_ppol_input_json)", { globals: namespace });
          return pyodide.runPythonAsync(code, { globals: namespace });
        }),
      ),
    call: (name, args = [], options = {}) =>
      exclusive(() =>
        capture(options.outputCap ?? 65_536, async () => {
          const fn = namespace.get(name);
          if (fn === undefined) throw new PythonError("NameError", `name '${name}' is not defined`, "");
          try {
            return JSON.parse(await invoke(fn, JSON.stringify(args)));
          } finally {
            fn?.destroy?.();
          }
        }),
      ),
  };
}

function toJson(raw: unknown, dump: (v: unknown) => string): Json {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "object" && raw !== null && typeof (raw as any).toJs === "function") {
    try {
      return JSON.parse(dump(raw));
    } finally {
      (raw as any).destroy?.();
    }
  }
  if (typeof raw === "number" && !Number.isFinite(raw)) throw new PythonError("ValueError", "result is not JSON-safe (NaN or infinity)", "");
  return raw as Json;
}

function asPythonError(error: unknown, stdout: string, stderr: string): PpolError {
  if (error instanceof PpolError) return error;
  const message = String((error as Error)?.message ?? error);
  if ((error as any)?.constructor?.name === "PythonError" || (error as any)?.type) {
    const lines = message.trimEnd().split("\n");
    const last = lines.at(-1) ?? message;
    const m = /^(\w+(?:\.\w+)*): ?(.*)$/.exec(last);
    return new PythonError((error as any).type ?? m?.[1] ?? "Exception", m?.[2] ?? last, message, stdout, stderr);
  }
  return new PythonError("HostError", message.split("\n")[0] ?? message, message, stdout, stderr);
}

/** Bounded byte sink for a stream. */
class Capture {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  dropped = 0;
  constructor(private readonly cap: number) {}
  write(bytes: Uint8Array): number {
    const room = this.cap - this.kept;
    if (room > 0) {
      const take = bytes.subarray(0, room);
      this.chunks.push(take.slice());
      this.kept += take.length;
    }
    this.dropped += Math.max(0, bytes.length - Math.max(0, room));
    return bytes.length;
  }
  text(): string {
    const text = new TextDecoder().decode(Buffer.concat(this.chunks));
    return this.dropped ? `${text}\n[… ${this.dropped} more bytes dropped]` : text;
  }
}
