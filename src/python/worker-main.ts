/** Entry of a sandbox process when running from source: only the worker, not the whole CLI. */
import { runSandboxWorker } from "./worker.ts";

await runSandboxWorker();
