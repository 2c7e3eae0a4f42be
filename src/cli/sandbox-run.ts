import { existsSync, readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { createSandboxPool, DEFAULT_LIMITS, runProgram, type Outcome } from "../python/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str, UNSAFE_OPTION } from "./command.ts";

export default defineCommand({
  name: "sandbox run",
  summary: "run Python files in the sandbox exactly as generator programs are run",
  usage: "ppol sandbox run FILE.py [FILE2.py …] [--call NAME] [--args JSON] [--timeout-ms N] [--memory-mb M] [--json]",
  description:
    "Each file runs in its own fresh sandbox process (no environment, no host files, no network, no\n" +
    "subprocesses; killed at the timeout or the memory cap), in order, through one pool. With --call, the\n" +
    "named function is called after loading with the --args JSON array; else the result is the value of\n" +
    "the file's last expression. One line per file; exit 0 when every file ran and was ok, 1 otherwise.\n" +
    "error_kind: timeout | memory | exception | forbidden | invalid_output.",
  options: {
    ...JSON_OPTION,
    call: { type: "string", valueName: "NAME", description: "function to call after loading the file" },
    args: { type: "string", valueName: "JSON", description: "JSON array of arguments for --call (default [])" },
    "timeout-ms": { type: "string", valueName: "N", description: `wall-clock limit per file, the process is killed (default ${DEFAULT_LIMITS.timeoutMs})` },
    "memory-mb": { type: "string", valueName: "M", description: `resident memory cap of the sandbox process, runtime included (~210 MB); killed above it (default ${DEFAULT_LIMITS.memoryMb})` },
    ...UNSAFE_OPTION,
  },
  positionals: { min: 1, max: 1000, names: "FILE.py" },
  examples: ["ppol sandbox run gen.py --json", "ppol sandbox run gen.py --call generate --args '[\"ctx\", 3]'", "ppol sandbox run a.py b.py --timeout-ms 2000"],
  async run(ctx) {
    const timeoutMs = intFlag(ctx.values, "timeout-ms", { fallback: DEFAULT_LIMITS.timeoutMs, min: 100 });
    const memoryMb = intFlag(ctx.values, "memory-mb", { fallback: DEFAULT_LIMITS.memoryMb, min: 256 });
    const callName = str(ctx.values, "call");
    let args: unknown[] = [];
    const rawArgs = str(ctx.values, "args");
    if (rawArgs !== undefined) {
      if (!callName) throw new UsageError("sandbox run: --args needs --call NAME");
      try {
        args = JSON.parse(rawArgs);
      } catch {
        throw new UsageError("sandbox run: --args is not valid JSON", `e.g. --args '["text", 3]'`);
      }
      if (!Array.isArray(args)) throw new UsageError("sandbox run: --args must be a JSON array", `e.g. --args '[${JSON.stringify(args)}]'`);
    }
    if (callName !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(callName)) throw new UsageError(`sandbox run: --call "${callName}" is not a Python name`);
    const files = ctx.positionals.map((f) => resolvePath(ctx.cwd, f));
    for (const [i, file] of files.entries()) {
      if (!existsSync(file)) throw new InputError(`${ctx.positionals[i]}: no such file`);
      if (!statSync(file).isFile()) throw new InputError(`${ctx.positionals[i]}: not a file`);
    }
    const unsafe = ctx.values["unsafe-sandbox"] === true;
    if (unsafe) ctx.io.err("ppol: warning: --unsafe-sandbox: programs run WITHOUT OS confinement");
    const pool = createSandboxPool({ assets: ctx.pythonAssets, cacheRoot: ctx.cacheRoot, unsafe, spares: files.length > 1 ? 1 : 0 });
    ctx.onExit(() => pool.close());
    let allOk = true;
    for (const [i, file] of files.entries()) {
      let code: string;
      try {
        code = readFileSync(file, "utf8");
      } catch (error) {
        throw new InputError(`${ctx.positionals[i]}: cannot read (${(error as NodeJS.ErrnoException).code})`);
      }
      const outcome = await runProgram(pool, {
        code,
        filename: basename(file),
        call: callName ? { name: callName, args } : undefined,
        limits: { timeoutMs, memoryMb },
      });
      allOk &&= outcome.ok;
      ctx.io.out(ctx.values.json ? JSON.stringify(inIssueOrder(outcome)) : human(ctx.positionals[i]!, outcome));
    }
    return allOk ? 0 : 1;
  },
});

function human(name: string, o: Outcome): string {
  const head = `${name}: ${o.ok ? "ok" : o.error_kind} (${Math.round(o.ms)} ms)`;
  const body = o.ok ? `  result: ${truncate(JSON.stringify(o.result) ?? "null", 400)}` : `  error: ${truncate(o.error ?? "", 800)}`;
  const out = [o.stdout && `  stdout: ${truncate(o.stdout.trimEnd(), 400)}`, o.stderr && `  stderr: ${truncate(o.stderr.trimEnd(), 400)}`].filter(Boolean);
  return [head, body, ...out].join("\n");
}

function truncate(s: string, n: number) {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** The documented key order, whichever path (result or failure) built the outcome. */
function inIssueOrder(o: Outcome) {
  return { ok: o.ok, result: o.result, error_kind: o.error_kind, error: o.error, stdout: o.stdout, stderr: o.stderr, ms: o.ms };
}
