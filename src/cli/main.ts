#!/usr/bin/env bun
import { nodeModulesAssets, type RuntimeAssets } from "../python/index.ts";
import { runApp } from "./app.ts";

/** Entry point from source (`bun run ppol -- …`); the compiled binary enters through binary.ts. */
export async function main(pythonAssets: () => RuntimeAssets = nodeModulesAssets): Promise<never> {
  // Hidden mode: this same program re-executed as a sandbox process (src/python/worker.ts).
  if (process.argv[2] === "__sandbox-worker") return (await import("../python/worker.ts")).runSandboxWorker();
  // First Ctrl-C: a command that watches ctx.signal stops cleanly and saves its work; a second one
  // (or the first, for commands with nothing to save) exits at once.
  const interrupt = new AbortController();
  let watched = false;
  const onSignal = (name: string) => {
    if (interrupt.signal.aborted || !watched) process.exit(130);
    process.stderr.write(`\nppol: ${name} received, finishing in-flight work and saving (again to quit now)\n`);
    interrupt.abort(new Error(name));
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  const code = await runApp({
    signal: interrupt.signal,
    onInterruptWatched: () => void (watched = true),
    argv: process.argv.slice(2),
    env: process.env,
    pythonAssets: pythonAssets(),
    cwd: process.cwd(),
    io: {
      out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
      err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
      isTTY: process.stdout.isTTY === true,
      color: process.stdout.isTTY === true,
    },
  });
  // Let stdout drain before exiting: large --json outputs go to pipes.
  await new Promise<void>((resolve) => (process.stdout.write("") ? resolve() : process.stdout.once("drain", () => resolve())));
  process.exit(code);
}

if (import.meta.main) await main();
