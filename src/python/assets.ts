import { dirname, join } from "node:path";
import pyodidePkg from "pyodide/package.json" with { type: "json" };

/** The four files Pyodide needs to boot without network: the loader is bundled into ppol itself. */
export const RUNTIME_FILES = ["pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip", "pyodide-lock.json"] as const;
export type RuntimeFile = (typeof RUNTIME_FILES)[number];

/**
 * Where the runtime files come from: node_modules when running from source, the binary's embedded
 * files ($bunfs paths) when compiled. `sha256` is known up front for embedded files (from the build
 * manifest) and computed on unpack otherwise.
 */
export interface RuntimeAssets {
  version: string;
  origin: "node_modules" | "embedded";
  files: Record<RuntimeFile, { path: string; sha256?: string }>;
}

/** Assets from the installed `pyodide` package (running from source). */
export function nodeModulesAssets(): RuntimeAssets {
  const dir = dirname(Bun.resolveSync("pyodide/package.json", import.meta.dir));
  const files = Object.fromEntries(RUNTIME_FILES.map((f) => [f, { path: join(dir, f) }])) as RuntimeAssets["files"];
  return { version: pyodidePkg.version, origin: "node_modules", files };
}
