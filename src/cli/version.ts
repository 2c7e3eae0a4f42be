import { Database } from "bun:sqlite";
import pkg from "../../package.json" with { type: "json" };
import pyodidePkg from "pyodide/package.json" with { type: "json" };

declare const PPOL_BUILD_COMMIT: string | undefined;

export const PPOL_VERSION: string = pkg.version;
export const PYODIDE_VERSION: string = pyodidePkg.version;

/** The commit the binary was built from (injected by the build), or the checkout's HEAD from source. */
export function gitCommit(): string {
  if (typeof PPOL_BUILD_COMMIT === "string") return PPOL_BUILD_COMMIT;
  const result = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: import.meta.dir, stderr: "ignore" });
  return result.success ? result.stdout.toString().trim() : "unknown";
}

export function sqliteVersion(): string {
  const db = new Database(":memory:");
  try {
    return (db.query("SELECT sqlite_version() AS v").get() as { v: string }).v;
  } finally {
    db.close();
  }
}

export function versionInfo() {
  return { ppol: PPOL_VERSION, commit: gitCommit(), pyodide: PYODIDE_VERSION, sqlite: sqliteVersion(), bun: Bun.version };
}

export function versionLine(): string {
  const v = versionInfo();
  return `ppol ${v.ppol} (commit ${v.commit}) pyodide ${v.pyodide} sqlite ${v.sqlite} bun ${v.bun}`;
}
