/**
 * `bun run bench -- llm [calls]`: the LLM layer against the fake server in its own process
 * (fixed latency L = 50 ms), endpoint concurrency C = 32, 2,000 calls issued by 2·C concurrent callers,
 * in 3 rounds interleaved with bare-fetch and SDK-only baselines (medians reported).
 * - throughput as a fraction of the limit C/L (goal ≥ 0.95);
 * - the layer's own CPU per call (this process only: SDK, limiter, hashing, normalising, archive), goal ≤ 0.5 ms;
 * - archive write cost per call (one attempt row + request row, file archive, WAL), and ro replay cost.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import OpenAI from "openai";
import { Config } from "../src/config/schema.ts";
import { createLlm } from "../src/llm/index.ts";
import { recordLlmCalls } from "../src/store/llm.ts";
import { openStore } from "../src/store/index.ts";
import { median, report } from "./_util.ts";

const CALLS = Number(process.argv[2] ?? 2000);
const C = 32;
const L = 50;

const server = Bun.spawn([process.execPath, resolve(import.meta.dir, "../tests/support/fake-openai/serve.ts"), "--latency", String(L)], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
const reader = server.stdout.getReader();
let first = "";
while (!first.includes("\n")) {
  const { value, done } = await reader.read();
  if (done) throw new Error("fake server exited before printing its URL");
  first += new TextDecoder().decode(value);
}
const { baseUrl } = JSON.parse(first.split("\n")[0]!) as { baseUrl: string };

const dir = mkdtempSync(join(tmpdir(), "ppol-bench-llm-"));
try {
  const config = Config.parse({
    endpoints: { local: { base_url: baseUrl, max_concurrency: C, timeout_ms: 30_000 } },
    roles: { agent: { targets: [{ endpoint: "local", model: "qwen3:8b" }] } },
  });
  const messages = (i: number) => [
    { role: "system" as const, content: "You are a customer service agent. Follow the policy.".repeat(20) },
    { role: "user" as const, content: `I want to return item ${i} from my last order, please.` },
  ];

  /** Run `call` CALLS times from `callers` concurrent callers (the layer gets 2·C: C in flight, C waiting in its limiter). */
  const drive = async (callers: number, call: (i: number) => Promise<unknown>) => {
    let next = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: callers }, async () => {
      while (next < CALLS) await call(next++);
    }));
    const cpu = process.cpuUsage(cpu0);
    return { rate: CALLS / ((performance.now() - t0) / 1000), cpuMsPerCall: (cpu.user + cpu.system) / 1000 / CALLS };
  };

  // Baselines on the same server, C calls in flight: bare fetch, and the openai SDK alone.
  const payload = (i: number) => JSON.stringify({ model: "qwen3:8b", messages: messages(i) });
  const bareCall = (i: number) => fetch(`${baseUrl}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: payload(i) }).then((r) => r.json());
  const sdk = new OpenAI({ baseURL: baseUrl, apiKey: "none", maxRetries: 0, logLevel: "off" });
  const sdkCall = (i: number) => sdk.chat.completions.create({ model: "qwen3:8b", messages: messages(i) });
  const store = openStore(join(dir, "bench.sqlite"));
  const llm = createLlm({ config, store, cacheMode: "rw", env: {} });
  const leanConfig = { ...config, endpoints: { local: { ...config.endpoints.local!, transport: "fetch" as const } } };
  const lean = createLlm({ config: leanConfig, store, cacheMode: "rw", env: {} });

  // warm up connections and JIT
  await Promise.all(Array.from({ length: 2 * C }, (_, i) => Promise.all([bareCall(i), sdkCall(i), llm.chat("agent", { messages: messages(-i - 1), sample: 9 }), lean.chat("agent", { messages: messages(-i - 1), sample: 10 })])));

  // Shared machines are noisy: interleave the three in rounds so they see the same load, report medians.
  const ROUNDS = 3;
  type Run = Awaited<ReturnType<typeof drive>>;
  const rounds: { bare: Run; sdk: Run; layer: Run; lean: Run }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bare = await drive(C, bareCall);
    const sdkOnly = await drive(C, sdkCall);
    const runLayer = () => drive(2 * C, (i) => llm.chat("agent", { messages: messages(r * CALLS + i) }));
    const runLean = () => drive(2 * C, (i) => lean.chat("agent", { messages: messages((ROUNDS + r) * CALLS + i) }));
    // alternate which of the two goes first, so neither always inherits the other's garbage
    let layer: Run;
    let leanRun: Run;
    if (r % 2) {
      leanRun = await runLean();
      layer = await runLayer();
    } else {
      layer = await runLayer();
      leanRun = await runLean();
    }
    rounds.push({ bare, sdk: sdkOnly, layer, lean: leanRun });
  }
  const med = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f));
  const usage = llm.usage();
  if (usage.totals.failures || usage.rows[0]!.calls !== ROUNDS * CALLS + 2 * C || lean.usage().totals.failures) throw new Error(`expected ${ROUNDS * CALLS} good calls, got ${JSON.stringify(usage.totals)}`);

  console.log(`# ${CALLS} calls × ${ROUNDS} rounds (medians), C = ${C}, L = ${L} ms, limit C/L = ${((C / L) * 1000).toFixed(0)} calls/s; fake server in a separate process`);
  report("throughput (calls/s)", med((x) => x.layer.rate), "call/s");
  report("throughput / (C/L)", med((x) => x.layer.rate / ((C / L) * 1000)), "ratio", { min: 0.95 });
  report("  baseline: bare fetch calls/s, C in flight", med((x) => x.bare.rate), "call/s");
  report("  throughput / bare-fetch throughput", med((x) => x.layer.rate / x.bare.rate), "ratio");
  report("layer CPU per call, rw with archive (user+sys)", med((x) => x.layer.cpuMsPerCall), "ms", { max: 0.5 });
  report("  baseline: bare fetch CPU per call", med((x) => x.bare.cpuMsPerCall), "ms");
  report("  baseline: openai SDK alone CPU per call", med((x) => x.sdk.cpuMsPerCall), "ms");
  report("  layer CPU per call beyond the SDK", med((x) => x.layer.cpuMsPerCall - x.sdk.cpuMsPerCall), "ms");
  report("with transport = \"fetch\": throughput / (C/L)", med((x) => x.lean.rate / ((C / L) * 1000)), "ratio", { min: 0.95 });
  report("with transport = \"fetch\": layer CPU per call", med((x) => x.lean.cpuMsPerCall), "ms", { max: 0.5 });
  report("latency p50 seen by the layer", usage.rows[0]!.latencyMs.p50, "ms");
  report("latency p99 seen by the layer", usage.rows[0]!.latencyMs.p99, "ms");
  report("peak in flight", usage.endpoints.local!.peakInFlight, "calls", { max: C });

  await Promise.all([llm.close(), lean.close()]);
  // replay 2,000 recorded calls from the archive (no network)
  const replay = createLlm({ config, store, cacheMode: "ro", env: {} });
  const r0 = performance.now();
  for (let i = 0; i < CALLS; i++) await replay.chat("agent", { messages: messages(i) });
  report("ro replay per call (wall, sequential)", (performance.now() - r0) / CALLS, "ms");

  // archive write cost alone: one attempt row (+ its request row), one transaction per call vs batches of 64
  const row = store.db.query("SELECT * FROM llm_calls LIMIT 1").get() as any;
  const requestJson = (store.db.query("SELECT request_json FROM llm_requests LIMIT 1").get() as any).request_json as string;
  const fresh = (tag: string, i: number) => ({ call: { ...row, id: undefined, request_hash: `${tag}-${i}`, created_at: new Date().toISOString() }, request: { json: requestJson, blobs: [] } });
  let w0 = performance.now();
  for (let i = 0; i < CALLS; i++) recordLlmCalls(store, [fresh("single", i)]);
  report("archive write per call, own transaction", (performance.now() - w0) / CALLS, "ms");
  w0 = performance.now();
  for (let i = 0; i < CALLS; i += 64) recordLlmCalls(store, Array.from({ length: Math.min(64, CALLS - i) }, (_, k) => fresh("batch", i + k)));
  report("archive write per call, batches of 64 (as the layer does)", (performance.now() - w0) / CALLS, "ms");
  store.close();
} finally {
  server.stdin.end();
  server.kill();
  await server.exited;
  rmSync(dir, { recursive: true, force: true });
}
