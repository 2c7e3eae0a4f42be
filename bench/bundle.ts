/**
 * `bun run bench -- bundle [N]`: a simulate run of N (200) airline episodes of up to 20 steps against the
 * fake server in its own process at a fixed latency (L = 50 ms, C = 32 in flight), then `bundle create`
 * and `bundle verify` of it. Reports the bundle's compressed size per episode and the verify time per
 * episode beside the original run's time per episode (goal: verifying takes no longer than running).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Config } from "../src/config/schema.ts";
import { createLlm, type Llm } from "../src/llm/index.ts";
import { cacheRoot, nodeModulesAssets } from "../src/python/index.ts";
import { createBundle, verifyBundle } from "../src/report/index.ts";
import { startRun, TRAIN_MAX_STEPS } from "../src/sim/index.ts";
import { openBundle, openStore } from "../src/store/index.ts";
import { loadDomainDir } from "../src/tau2/index.ts";
import { report, startFakeEpisodesServer } from "./_util.ts";

const N = Number(process.argv[2] ?? 200);
const C = 32;
const L = 50;
const data = resolve(import.meta.dir, "../../shared/tau2/domains");
if (!existsSync(data)) {
  console.log(`bundle bench skipped: no τ² data at ${data}`);
  process.exit(0);
}

const server = await startFakeEpisodesServer(L);
const { baseUrl } = server;

const dir = mkdtempSync(join(tmpdir(), "ppol-bench-bundle-"));
const store = openStore(join(dir, "bench.sqlite"));
const config = Config.parse({ endpoints: { local: { base_url: baseUrl, max_concurrency: C, timeout_ms: 30_000 } }, defaults: { concurrency: C } });
const domain = loadDomainDir(data, "airline");
const tasks = domain.tasks.map((t) => t.id);
const trials = Math.ceil(N / tasks.length);
const clients: Llm[] = [];

let t0 = performance.now();
const run = await startRun(
  { store, config, llm: (runId, c) => (clients.push(createLlm({ config: c, store, runId, cacheMode: "rw", env: {} })), clients.at(-1)!), domain: () => domain, cwd: dir, version: "bench", concurrency: C },
  { domain, taskIds: tasks.slice(0, Math.ceil(N / trials)), personas: null, trials, maxSteps: TRAIN_MAX_STEPS, judge: false, fidelityJudge: false, strictToolJson: false, toolSchemas: undefined },
);
await Promise.all(clients.map((c) => c.close()));
const original = (performance.now() - t0) / 1000;
await server.stop();

t0 = performance.now();
const { bytes, manifest } = createBundle(store, run.runId, { tau2Dir: data, ppol: { version: "bench", commit: "bench", pyodide: "-", sqlite: "-" }, now: new Date() });
const create = (performance.now() - t0) / 1000;
const file = join(dir, "run.ppol");
await Bun.write(file, bytes);
store.close();

t0 = performance.now();
const bundle = openBundle(file);
const noPython = () => {
  throw new Error("a base simulate run needs no Python");
};
const result = await verifyBundle(bundle, { pool: noPython, python: noPython, sandbox: { assets: nodeModulesAssets(), cacheRoot: cacheRoot(process.env) }, version: "bench" });
bundle.close();
const verify = (performance.now() - t0) / 1000;
if (!result.verified) throw new Error(`the benchmark's bundle did not verify: ${result.difference?.message}`);

const episodes = manifest.counts.episodes!;
const tau2Files = Object.keys(manifest.inputs.tau2[0]!.files).length;
console.log(`# ${episodes} airline episodes (${trials} trials × ${Math.ceil(N / trials)} tasks, ≤ ${TRAIN_MAX_STEPS} steps, ${manifest.counts.llm_calls} LLM calls), fake server at L = ${L} ms, C = ${C}; the bundle holds the τ² airline data (${tau2Files} files) once`);
report("bundle size (compressed)", bytes.byteLength / 1e6, "MB");
report("bundle size per episode (compressed)", bytes.byteLength / 1024 / episodes, "KB");
report("bundle create", create, "s");
report("original run per episode (fake server)", (original / episodes) * 1000, "ms");
report("verify per episode (replay, no server)", (verify / episodes) * 1000, "ms");
report("verify time ÷ original run time", verify / original, "ratio", { max: 1 });
