/**
 * The Pyodide runtime files embedded into the compiled binary. Only the binary entry (cli/binary.ts)
 * imports this module; `npm run build` stages pyodide-cache/ (files + manifest.json) before compiling.
 */
import lock from "../../pyodide-cache/pyodide-lock.json" with { type: "file" };
import loaderMjs from "../../pyodide-cache/pyodide.asm.mjs" with { type: "file" };
import wasm from "../../pyodide-cache/pyodide.asm.wasm" with { type: "file" };
import stdlib from "../../pyodide-cache/python_stdlib.zip" with { type: "file" };
import manifest from "../../pyodide-cache/manifest.json" with { type: "json" };
import type { RuntimeAssets } from "./assets.ts";

export function embeddedAssets(): RuntimeAssets {
  const m = manifest as { version: string; files: Record<string, string> };
  return {
    version: m.version,
    origin: "embedded",
    files: {
      "pyodide.asm.wasm": { path: wasm, sha256: m.files["pyodide.asm.wasm"] },
      "pyodide.asm.mjs": { path: loaderMjs, sha256: m.files["pyodide.asm.mjs"] },
      "python_stdlib.zip": { path: stdlib, sha256: m.files["python_stdlib.zip"] },
      // Imported `with { type: "file" }`, so this is a path even though TypeScript types it as the JSON.
      "pyodide-lock.json": { path: lock as unknown as string, sha256: m.files["pyodide-lock.json"] },
    },
  };
}
