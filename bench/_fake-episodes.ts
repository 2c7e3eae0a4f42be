/**
 * The fake server in its own process, scripted for episode benchmarks: the agent alternates a τ²
 * lookup with a reply, the user keeps talking, so episodes run to --max-steps.
 *   bun bench/_fake-episodes.ts --latency MS
 */
import { startFakeOpenAI, text, toolCall } from "../tests/support/fake-openai/index.ts";

const i = process.argv.indexOf("--latency");
const fake = await startFakeOpenAI({ latencyMs: Number(i > 0 ? process.argv[i + 1] : 50), log: false });
fake.reply({ role: "agent" }, (req) => (req.body.messages.at(-1)?.role === "tool" ? text("I checked your reservation: it is confirmed. Anything else?") : toolCall("get_reservation_details", { reservation_id: "4WQ150" })));
fake.reply({ role: "user" }, text("yes, one more question about my booking please"));
console.log(JSON.stringify({ baseUrl: fake.baseUrl }));
await Bun.stdin.text();
await fake.stop();
process.exit(0);
