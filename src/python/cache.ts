import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { PpolError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { RUNTIME_FILES, type RuntimeAssets } from "./assets.ts";

const MANIFEST = "manifest.json";

/** Cache root: $PPOL_CACHE, else $XDG_CACHE_HOME/ppol, else ~/.cache/ppol, else a per-user temp dir. */
export function cacheRoot(env: Record<string, string | undefined>): string {
  if (env.PPOL_CACHE) return env.PPOL_CACHE;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "ppol");
  if (env.HOME && env.HOME !== "/" && existsSync(env.HOME)) return join(env.HOME, ".cache", "ppol");
  return join(tmpdir(), `ppol-cache-${safeUid()}`);
}

function safeUid(): string {
  try {
    return String(userInfo().uid);
  } catch {
    return "user";
  }
}

/**
 * Make sure `<root>/pyodide-<version>/` holds intact runtime files and return that directory.
 * Files are verified by sha256 on every call (cheap next to a boot); a damaged cache is rebuilt.
 * Unpacking goes to a private temp dir renamed into place, so concurrent first starts never see
 * half-written files: whoever renames first wins, the others verify and use the winner's copy.
 */
export function ensureRuntimeDir(root: string, assets: RuntimeAssets): { dir: string; unpacked: boolean; repaired: boolean } {
  const dir = join(root, `pyodide-${assets.version}`);
  const expected = expectedHashes(assets);
  const state = verify(dir, expected);
  if (state === "ok") return { dir, unpacked: false, repaired: false };

  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    throw new PpolError(`${root}: cannot create the cache directory (${(error as NodeJS.ErrnoException).code})`, "set PPOL_CACHE to a writable directory", 1);
  }
  const staging = join(root, `.pyodide-${assets.version}.${process.pid}.${Math.random().toString(36).slice(2)}`);
  try {
    mkdirSync(staging);
    const hashes: Record<string, string> = {};
    for (const name of RUNTIME_FILES) {
      const bytes = readFileSync(assets.files[name].path);
      hashes[name] = sha256(bytes);
      if (expected?.[name] && expected[name] !== hashes[name]) throw new PpolError(`embedded runtime file ${name} is damaged (sha256 mismatch)`, "rebuild or re-download the ppol binary", 1);
      writeFileSync(join(staging, name), bytes);
    }
    writeFileSync(join(staging, MANIFEST), JSON.stringify({ version: assets.version, files: hashes }, null, 1));
    if (state === "corrupt") rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another process won the race: its copy must verify, ours is discarded.
      if (verify(dir, expected) !== "ok") throw error;
    }
  } catch (error) {
    if (error instanceof PpolError) throw error;
    throw new PpolError(`${root}: cannot unpack the Python runtime (${(error as Error).message})`, "set PPOL_CACHE to a writable directory with ~60 MB free", 1, { cause: error });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, unpacked: true, repaired: state === "corrupt" };
}

function expectedHashes(assets: RuntimeAssets): Record<string, string> | undefined {
  const entries = RUNTIME_FILES.map((f) => [f, assets.files[f].sha256] as const);
  return entries.every(([, h]) => h) ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
}

/** "missing" (never unpacked), "corrupt" (present but wrong), or "ok". */
function verify(dir: string, expected: Record<string, string> | undefined): "missing" | "corrupt" | "ok" {
  if (!existsSync(dir)) return "missing";
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { files: Record<string, string> };
    for (const name of RUNTIME_FILES) {
      const want = manifest.files[name];
      if (!want || (expected && expected[name] !== want)) return "corrupt";
      if (sha256(readFileSync(join(dir, name))) !== want) return "corrupt";
    }
    return "ok";
  } catch {
    return "corrupt";
  }
}
