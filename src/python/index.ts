export { nodeModulesAssets, RUNTIME_FILES, type RuntimeAssets, type RuntimeFile } from "./assets.ts";
export { cacheRoot, ensureRuntimeDir, sha256, writeAtomic } from "./cache.ts";
export { bootPython, PythonError, type BootOptions, type Json, type PythonRuntime, type RunOptions, type RunResult } from "./runtime.ts";
