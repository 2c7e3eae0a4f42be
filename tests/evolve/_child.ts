/**
 * A scripted evolve run as its own process, for the kill -9 test:
 *   bun tests/evolve/_child.ts DB RUN_ID BASE_URL start|resume OPTIONS_JSON
 * The mutator is the fake server at BASE_URL (run by the test); evaluations take 20–60 ms.
 */
import { llmMutator, resumeEvolution, startEvolution } from "../../src/evolve/index.ts";
import { createLlm } from "../../src/llm/index.ts";
import { openStore } from "../../src/store/index.ts";
import { problem, syntheticEvaluator } from "./_kit.ts";
import { Config, ROLE_NAMES } from "../../src/config/schema.ts";

const [db, runId, baseUrl, mode, optionsJson] = process.argv.slice(2) as [string, string, string, string, string];
const config = Config.parse({
  endpoints: { fake: { base_url: baseUrl, timeout_ms: 5_000 } },
  roles: Object.fromEntries(ROLE_NAMES.map((r) => [r, { targets: [{ endpoint: "fake", model: "qwen3:8b" }] }])),
  llm: { backoff_base_ms: 5, backoff_max_ms: 200 },
});
const store = openStore(db);
const llm = createLlm({ config, store, runId, cacheMode: "rw", env: {} });
const deps = { store, problem, evaluator: syntheticEvaluator({ delayMs: (p) => 20 + ((p.slot * 17 + p.generation * 11) % 40) }), mutator: llmMutator(llm) };
const result = mode === "start" ? await startEvolution(deps, { runId, options: JSON.parse(optionsJson) }) : await resumeEvolution(deps, runId);
await llm.close();
store.close();
console.log(JSON.stringify({ status: result.status, final: result.final?.id }));
