import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootPython, nodeModulesAssets, type PythonRuntime } from "../../src/python/index.ts";

/** One cache for the whole suite: it is versioned and verified, so reuse across runs is safe. */
export const TEST_CACHE_ROOT = join(tmpdir(), "ppol-test-cache");

let shared: Promise<PythonRuntime> | undefined;
/** A booted runtime shared by the tests of one file (boot costs ~1 s from the snapshot). */
export function sharedPython(): Promise<PythonRuntime> {
  return (shared ??= bootPython({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT }));
}
