#!/usr/bin/env bun
import { nodeModulesAssets, type RuntimeAssets } from "../python/index.ts";
import { runApp } from "./app.ts";

/** Entry point from source (`bun run ppol -- …`); the compiled binary enters through binary.ts. */
export async function main(pythonAssets: () => RuntimeAssets = nodeModulesAssets): Promise<never> {
  const code = await runApp({
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
