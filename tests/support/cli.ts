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
