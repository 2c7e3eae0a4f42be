/**
 * The fake server as its own process (benchmarks measure the client's CPU without the server's):
 *   bun tests/support/fake-openai/serve.ts [--latency MS] [--flavor ollama|vllm|llamacpp|openai]
 * Prints one JSON line {"baseUrl": …} and serves until stdin closes or it is killed.
 */
import { startFakeOpenAI, type Flavor } from "./index.ts";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const fake = await startFakeOpenAI({ latencyMs: Number(flag("latency") ?? 0), flavor: (flag("flavor") as Flavor | undefined) ?? "ollama", log: false });
console.log(JSON.stringify({ baseUrl: fake.baseUrl }));
await Bun.stdin.text(); // serve until the parent closes stdin
await fake.stop();
process.exit(0);
