/**
 * File helpers every command shares: paths the user names are relative to the working directory, and
 * every file ppol writes appears whole or not at all (written beside, flushed, then renamed).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { InputError } from "./errors.ts";

/** A path the user gave, resolved against their working directory (absolute paths pass through). */
export function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/**
 * Write `data` to `path` atomically: a crash leaves the old file or the new one, never half of it.
 * The parent folder must exist (a missing one is an InputError naming it), unless `mkdir` is set.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { mkdir?: boolean } = {}): void {
  const dir = dirname(path);
  if (opts.mkdir) mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`${path}: folder ${dir} does not exist`, "create it first or choose another path", { cause: error });
    if (code === "EACCES" || code === "EPERM" || code === "EROFS") throw new InputError(`${path}: cannot write (${code})`, "choose a writable path", { cause: error });
    if (code === "EISDIR") throw new InputError(`${path}: is a folder`, "give a file name", { cause: error });
    throw error;
  }
}

/**
 * Make sure output folder `dir` exists, creating that one folder if needed. Its parent must exist (so a
 * typo does not silently create a tree elsewhere): a missing parent is an InputError naming it.
 */
export function ensureOutputDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`${dir}: is a file, not a folder`, "choose a folder for the output");
    return;
  }
  const parent = dirname(dir);
  if (!existsSync(parent)) throw new InputError(`${dir}: parent folder ${parent} does not exist`, "create it first or choose another output folder");
  mkdirSync(dir);
}
