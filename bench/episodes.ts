/**
 * `bun run bench -- episodes [N]`: N τ² airline episodes of 20 orchestrator steps (~15 LLM calls, 5 tool
 * calls each) against the fake server in its own process at latency L = 50 ms, C = 32 episodes and
 * endpoint slots. Reports LLM calls/s as a fraction of C/L (goal ≥ 0.95) and ppol's own CPU per episode
 * (orchestration, tools, evaluation, fidelity, archive writes; the server's CPU is not counted).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Config } from "../src/config/schema.ts";
import { createLlm } from "../src/llm/index.ts";
import { planEpisodes, simulate, TRAIN_MAX_STEPS, userGuidelinesFor } from "../src/sim/index.ts";
import { createRun, listEpisodes, openStore } from "../src/store/index.ts";
import { agentTools, loadDomainDir } from "../src/tau2/index.ts";
import { report, startFakeEpisodesServer } from "./_util.ts";

const N = Number(process.argv[2] ?? 160);
const C = 32;
const L = 50;
const data = resolve(import.meta.dir, "../../shared/tau2/domains");
if (!existsSync(data)) {
  console.log(`episodes bench skipped: no τ² data at ${data}`);
  process.exit(0);
}

const server = await startFakeEpisodesServer(L);
const { baseUrl } = server;

const domain = loadDomainDir(data, "airline");
const configFor = (transport: "sdk" | "fetch") => Config.parse({ endpoints: { local: { base_url: baseUrl, max_concurrency: C, timeout_ms: 30_000, transport } }, defaults: { concurrency: C } });
let config = configFor("sdk");
const store = openStore(join(mkdtempSync(join(tmpdir(), "ppol-bench-ep-")), "bench.sqlite"));
const taskIds = domain.tasks.map((t) => t.id);
const run = async (runId: string, n: number) => {
  createRun(store, { id: runId, kind: "simulate", config: {}, version: "bench", now: new Date() });
  const llm = createLlm({ config, store, runId, cacheMode: "off", env: {} });
  // Every task, trial after trial, cut at n: distinct (task, trial) pairs as a real run has.
  const trials = Math.ceil(n / taskIds.length);
  const plan = planEpisodes({ runId, taskIds, personas: new Map(), trials, seed: 1 })
    .sort((a, b) => a.trial - b.trial || a.ordinal - b.ordinal)
    .slice(0, n);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await simulate({
    store,
    llm,
    runId,
    domain,
    tools: agentTools(domain).schemas,
    userGuidelines: userGuidelinesFor(domain),
    plan,
    done: new Set(),
    maxSteps: TRAIN_MAX_STEPS,
    concurrency: C,
    models: { agent: "m", user: "m" },
    now: () => new Date(),
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const calls = llm.usage().totals.calls;
  await llm.close();
  return { wall, calls, cpuMsPerEpisode: (cpu.user + cpu.system) / 1000 / n };
};

await run("warmup", C);
const r = await run("bench", N);
const episodes = listEpisodes(store, "bench");
console.log(`# ${N} airline episodes × 20 steps, C = ${C}, L = ${L} ms, limit C/L = ${((C / L) * 1000).toFixed(0)} calls/s; fake server in its own process`);
const terminations: Record<string, number> = {};
for (const e of episodes) terminations[e.termination] = (terminations[e.termination] ?? 0) + 1;
console.log(`terminations: ${JSON.stringify(terminations)}${episodes.find((e) => e.error) ? `; first error: ${episodes.find((e) => e.error)!.error}` : ""}`);
report("LLM calls per episode", r.calls / N, "calls");
report("tool calls per episode", episodes.reduce((s, e) => s + e.messages.filter((m) => m.role === "tool").length, 0) / N, "calls");
report("achieved LLM calls/s", r.calls / r.wall, "call/s");
report("calls/s ÷ (C/L)", r.calls / r.wall / ((C / L) * 1000), "ratio", { min: 0.95 });
report("ppol CPU per episode (user+sys)", r.cpuMsPerEpisode, "ms");
report("wall per episode at C in flight", (r.wall / N) * 1000, "ms");
// The LLM layer's lean transport (endpoint `transport = "fetch"`) for comparison, same server, same load.
config = configFor("fetch");
const f = await run("bench-fetch", N);
report('with transport = "fetch": calls/s ÷ (C/L)', f.calls / f.wall / ((C / L) * 1000), "ratio", { min: 0.95 });
report('with transport = "fetch": ppol CPU per episode', f.cpuMsPerEpisode, "ms");
await server.stop();
