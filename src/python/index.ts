export { nodeModulesAssets, RUNTIME_FILES, type RuntimeAssets, type RuntimeFile } from "./assets.ts";
export { cacheRoot, ensureRuntimeDir } from "./cache.ts";
export { bootPython, PythonError, type BootOptions, type Json, type PythonRuntime, type RunOptions, type RunResult } from "./runtime.ts";
export { createSandboxPool, runProgram, sandboxSupport, type PoolOptions, type ProgramRun, type SandboxPool, type SandboxSupport } from "./pool.ts";
export { DEFAULT_LIMITS, SandboxProcess, type Limits } from "./sandbox.ts";
export { ErrorKind, LlmRequest, Outcome, type GeneratorLlm } from "./protocol.ts";
