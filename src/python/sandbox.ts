/**
 * Host side of one sandbox process: spawn (re-executing ppol in worker mode with an empty
 * environment in an empty temp dir), boot, then load ONE program and call it. The host owns every
 * verdict that matters: wall-clock timeouts (the process is killed), the memory cap (resident size
 * read from /proc), sizes of everything the child sends, and timings. Every line is schema-checked.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { RuntimeAssets } from "./assets.ts";
import { hostLlmGate, type LlmBudget } from "./bridge.ts";
import { ChildMessage, chunks, type Confinement, type ErrorKind, type GeneratorLlm, type HostMessage, type Outcome } from "./protocol.ts";
import { SANDBOX_WORKER_ARG } from "./worker.ts";

export interface Limits {
  timeoutMs: number;
  memoryMb: number;
  /** Bytes of stdout and of stderr kept per call. */
  outputCap: number;
  /** Bytes of a result's JSON. */
  resultCap: number;
  recursionLimit: number;
  cpuSeconds: number;
}

export const DEFAULT_LIMITS: Limits = {
  timeoutMs: 30_000,
  memoryMb: 1024,
  outputCap: 64 * 1024,
  resultCap: 4 * 1024 * 1024,
  recursionLimit: 1000,
  cpuSeconds: 600,
};

export interface SpawnOptions {
  assets: RuntimeAssets;
  cacheRoot: string;
  /** Run without OS confinement (only with --unsafe-sandbox). */
  unsafe: boolean;
  /** Boot timeout; a child that does not say "ready" in time is killed. */
  bootTimeoutMs?: number;
  /** The runtime directory the host verified (ensureRuntimeDir); the child then skips re-hashing it. */
  runtimeDir?: string;
}

/** argv that re-executes this program (source or compiled binary) in sandbox-worker mode. */
export function workerCommand(): string[] {
  const compiled = import.meta.path.includes("$bunfs");
  // From source, a dedicated entry skips loading the whole CLI; the binary has one entry (cli/main.ts hook).
  return compiled ? [process.execPath, SANDBOX_WORKER_ARG] : [process.execPath, join(import.meta.dir, "worker-main.ts"), SANDBOX_WORKER_ARG];
}

type Verdict = { type: "verdict"; kind: ErrorKind; error: string };
type Reply = Extract<ChildMessage, { type: "done" | "ready" }> | Verdict;
type Waiter = { resolve: (m: Reply) => void };

export class SandboxProcess {
  readonly pid: number;
  confinement: Confinement | undefined;
  bootMs = 0;
  private proc: Subprocess<"pipe", "pipe", "pipe">;
  private dir: string;
  private waiters = new Map<number, Waiter>();
  private nextId = 1;
  private exited: Promise<{ code: number | null; signal: string | null }>;
  private dead = false;
  private memoryHit = false;
  private garbage: string | undefined;
  private stderrTail = "";
  private gate: ReturnType<typeof hostLlmGate> | undefined;
  readonly ready: Promise<void>;

  constructor(private readonly options: SpawnOptions) {
    this.dir = mkdtempSync(join(tmpdir(), "ppol-sandbox-"));
    this.proc = Bun.spawn(workerCommand(), { cwd: this.dir, env: {}, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
    this.pid = this.proc.pid;
    this.exited = this.proc.exited.then(() => ({ code: this.proc.exitCode, signal: this.proc.signalCode as string | null }));
    void this.exited.then(() => this.onExit());
    void this.readLines();
    void this.drainStderr();
    this.send({ type: "boot", assets: options.assets, cacheRoot: options.cacheRoot, runtimeDir: options.runtimeDir, confine: !options.unsafe });
    this.ready = this.wait(0, options.bootTimeoutMs ?? 60_000).then((m) => {
      if (m.type !== "ready") throw new Error(`sandbox process failed to boot: ${this.failure() ?? "no ready message"}`);
      if (!options.unsafe && !(m.confinement.landlock && m.confinement.seccomp && m.confinement.rlimits))
        throw new Error(`sandbox process could not confine itself: ${JSON.stringify(m.confinement)}`);
      this.confinement = m.confinement;
      this.bootMs = m.bootMs;
    });
    this.ready.catch(() => this.kill());
  }

  get alive(): boolean {
    return !this.dead;
  }

  /** Load the program (prelude first, same namespace); result = value of its last expression. */
  load(code: string, filename: string, limits: Limits, prelude = "", llm?: GeneratorLlm, budget?: LlmBudget): Promise<Outcome> {
    this.gate = hostLlmGate(llm, budget ?? { maxCalls: 1000, maxInFlight: 64 });
    const id = this.nextId++;
    const { cpuSeconds, recursionLimit, outputCap, memoryMb, resultCap } = limits;
    return this.request(id, { type: "load", id, code, filename, prelude, limits: { cpuSeconds, recursionLimit, outputCap, memoryMb, resultCap } }, limits);
  }

  /** Call a function the loaded program defines (awaited if async) with JSON arguments. */
  call(name: string, args: unknown[], limits: Limits): Promise<Outcome> {
    const id = this.nextId++;
    return this.request(id, { type: "call", id, name, argsJson: JSON.stringify(args) }, limits);
  }

  get llmCalls(): number {
    return this.gate?.calls ?? 0;
  }

  kill() {
    if (!this.dead) {
      try {
        this.proc.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  }

  async dispose() {
    this.kill();
    await this.exited;
  }

  private async request(id: number, message: HostMessage, limits: Limits): Promise<Outcome> {
    const started = performance.now();
    const base = { stdout: "", stderr: "", result: null };
    if (this.dead) return { ...base, ok: false, error_kind: "exception", error: "sandbox process is gone", ms: 0 };
    this.send(message);
    const watch = setInterval(() => this.checkMemory(limits.memoryMb), 20);
    const reply = await this.wait(id, limits.timeoutMs).finally(() => clearInterval(watch));
    const ms = performance.now() - started;
    if (reply.type === "done") {
      const stdout = clip(reply.stdout, limits.outputCap);
      const stderr = clip(reply.stderr, limits.outputCap);
      if (!reply.ok) return { ok: false, result: null, error_kind: reply.kind ?? "exception", error: reply.error ?? "failed", stdout, stderr, ms };
      const json = reply.resultJson ?? "null";
      if (json.length > limits.resultCap)
        return { ok: false, result: null, error_kind: "invalid_output", error: `result is ${json.length} bytes, over the ${limits.resultCap}-byte cap`, stdout, stderr, ms };
      try {
        return { ok: true, result: JSON.parse(json), error_kind: null, error: null, stdout, stderr, ms };
      } catch {
        return { ok: false, result: null, error_kind: "invalid_output", error: "result is not valid JSON", stdout, stderr, ms };
      }
    }
    if (reply.type === "ready") return { ...base, ok: false, error_kind: "invalid_output", error: "unexpected message from the sandbox", ms };
    return { ...base, ok: false, error_kind: reply.kind, error: reply.error, ms };
  }

  /** Resolves with the reply for `id`, or a host-made verdict when the child times out, dies or misbehaves. */
  private wait(id: number, timeoutMs: number): Promise<Reply> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: Reply) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.kill();
        finish({ type: "verdict", kind: "timeout", error: `no answer within ${timeoutMs} ms: process killed` });
      }, timeoutMs);
      this.waiters.set(id, { resolve: finish });
      if (this.dead) this.onExit();
    });
  }

  private send(message: HostMessage) {
    if (this.dead) return;
    try {
      this.proc.stdin.write(`${JSON.stringify(message)}\n`);
      this.proc.stdin.flush();
    } catch {
      // the exit handler reports the failure
    }
  }

  private checkMemory(limitMb: number) {
    if (this.dead) return;
    const rss = residentMb(this.pid);
    if (rss !== undefined && rss > limitMb) {
      this.memoryHit = true;
      this.kill();
    }
  }

  private failure(): string | undefined {
    if (this.garbage) return this.garbage;
    const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
    return tail || undefined;
  }

  private async onExit() {
    if (!this.dead) {
      this.dead = true;
      rmSync(this.dir, { recursive: true, force: true });
    }
    const { code, signal } = await this.exited;
    let kind: ErrorKind = "exception";
    let error = `sandbox process exited (${signal ?? `code ${code}`})`;
    if (this.memoryHit) [kind, error] = ["memory", "memory limit exceeded: process killed"];
    else if (signal === "SIGSYS") [kind, error] = ["forbidden", "a forbidden system call (new process, exec) ended the sandbox"];
    else if (signal === "SIGXCPU") [kind, error] = ["timeout", "CPU time limit exceeded"];
    else if (this.garbage) [kind, error] = ["invalid_output", this.garbage];
    else if (/out of memory|RangeError: Out of memory|Cannot allocate/i.test(this.stderrTail)) kind = "memory";
    const tail = this.failure();
    if (kind === "exception" && tail) error += `: ${tail}`;
    for (const w of [...this.waiters.values()]) w.resolve({ type: "verdict", kind, error });
  }

  private async readLines() {
    const cap = DEFAULT_LIMITS.resultCap * 2 + 4 * (1 << 20);
    const decoder = new TextDecoder();
    let parts: string[] = [];
    let size = 0;
    try {
      for await (const chunk of chunks(this.proc.stdout)) {
        // Scan only the new text: a flood of one endless line must cost linear time.
        let text = decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = text.indexOf("\n")) >= 0) {
          parts.push(text.slice(0, nl));
          const line = parts.join("");
          parts = [];
          size = 0;
          text = text.slice(nl + 1);
          if (line.trim()) this.onLine(line);
        }
        parts.push(text);
        size += text.length;
        if (size > cap) return this.misbehave(`sandbox sent a line over ${cap} bytes`);
      }
    } catch {
      // stream closed
    }
  }

  private onLine(line: string) {
    let msg: ChildMessage;
    try {
      msg = ChildMessage.parse(JSON.parse(line));
    } catch {
      return this.misbehave(`sandbox channel got a malformed message: ${line.slice(0, 120)}`);
    }
    if (msg.type === "llm") return void this.onLlm(msg.id, msg.requestJson);
    if (msg.type === "fatal") {
      this.garbage = `sandbox error: ${msg.error.split("\n")[0]}`;
      this.stderrTail += `\n${msg.error}`;
      for (const w of [...this.waiters.values()]) w.resolve({ type: "verdict", kind: "exception", error: this.garbage });
      return;
    }
    const id = msg.type === "ready" ? 0 : msg.id;
    this.waiters.get(id)?.resolve(msg);
  }

  private async onLlm(id: number, requestJson: string) {
    const reply = this.gate ? await this.gate.answer(requestJson) : { ok: false as const, error: "no program loaded" };
    this.send({ type: "llm_reply", id, ...reply });
  }

  private misbehave(reason: string) {
    this.garbage ??= reason;
    this.kill();
  }

  private async drainStderr() {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of chunks(this.proc.stderr)) {
        if (this.stderrTail.length < 64 * 1024) this.stderrTail += decoder.decode(chunk, { stream: true });
      }
    } catch {
      // closed
    }
  }
}

function clip(text: string, cap: number): string {
  // The child already caps at `cap` and appends a short "bytes dropped" note: leave room for it.
  const limit = cap + 256;
  return text.length > limit ? `${text.slice(0, limit)}\n[… ${text.length - limit} more characters dropped]` : text;
}

/** Resident memory of a process in MiB, from /proc (Linux); undefined elsewhere or once it is gone. */
export function residentMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
