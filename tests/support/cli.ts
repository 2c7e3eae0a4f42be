import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runApp } from "../../src/cli/app.ts";
import { nodeModulesAssets } from "../../src/python/index.ts";

export interface CliRun {
  code: number;
  /** stdout, lines joined with "\n". */
  out: string;
  /** stdout as the lines the command wrote. */
  lines: string[];
  err: string;
  cwd: string;
}

/** Run the ppol CLI in-process (no TTY, no colour), capturing stdout and stderr. */
export async function runCli(argv: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), "ppol-cli-"));
  const lines: string[] = [];
  const err: string[] = [];
  const code = await runApp({
    argv,
    env: opts.env ?? {},
    cwd,
    io: { out: (t) => void lines.push(t), err: (t) => void err.push(t), isTTY: false, color: false },
    pythonAssets: nodeModulesAssets(),
  });
  return { code, out: lines.join("\n"), lines, err: err.join("\n"), cwd };
}

/** The source entry point, for tests that need ppol as a real child process. */
export const MAIN = join(import.meta.dir, "../../src/cli/main.ts");

/** Run ppol from source as a child process (exit codes, signals, process trees). */
export async function spawnCli(argv: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([process.execPath, MAIN, ...argv], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, stdout, stderr };
}
