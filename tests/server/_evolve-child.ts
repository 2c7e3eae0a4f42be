/**
 * A child process for the live-dashboard browser test: a generic evolve run (synthetic evaluator with a
 * delay per evaluation, the fake server as mutator) writing to the archive named on the command line.
 * Usage: bun tests/server/_evolve-child.ts DB MUTATOR_BASE_URL
 */
import { llmMutator, startEvolution } from "../../src/evolve/index.ts";
import { createLlm } from "../../src/llm/index.ts";
import { openStore } from "../../src/store/index.ts";
import { problem, syntheticEvaluator } from "../evolve/_kit.ts";

const [db, baseUrl] = process.argv.slice(2) as [string, string];
const store = openStore(db);
const config = {
  endpoints: { fake: { base_url: baseUrl, max_concurrency: 4 } },
  roles: Object.fromEntries(["mutator", "generator", "user", "agent", "judge", "reflector"].map((r) => [r, { targets: [{ endpoint: "fake", model: "qwen3:8b" }] }])),
};
const { Config } = await import("../../src/config/schema.ts");
const llm = createLlm({ config: Config.parse(config), store, runId: "evo-live", cacheMode: "off", env: {} });
await startEvolution({ store, problem, evaluator: syntheticEvaluator({ delayMs: () => 250 }), mutator: llmMutator(llm) }, { runId: "evo-live", options: { islands: 2, iterations: 12, early_stop: 0 } });
await llm.close();
store.close();
