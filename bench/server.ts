/**
 * `ppol serve` under load on a large archive: 10,000 programs and 100,000 episodes (one run), plus a
 * 200-conversation human set. The server runs as its own process (`ppol serve`); a bounded load generator
 * on loopback keeps 20 clients busy per page kind and reports p50/p95 latency. Goal: p95 ≤ 100 ms.
 * Page kinds: the run dashboard (the 100,000-episode run; deep pages by keyset), a program page (with its
 * diff), an episode page (transcript, fingerprint beside the human mean).
 * Also: the uncached aggregate a run page recomputes after each commit while a run writes.
 * The archive is built once into bench/out/ and reused (delete it to rebuild).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../src/hash.ts";
import { createRng } from "../src/rng.ts";
import { openReadStore, openStore, runNumbers, saveConversationSet } from "../src/store/index.ts";
import { median, percentile, report } from "./_util.ts";

const PROGRAMS = 10_000;
const EPISODES = 100_000;
const CLIENTS = 20;
const REQUESTS_PER_KIND = 2_000;
const MAX_SECONDS_PER_KIND = 30;

const out = join(import.meta.dir, "out");
const db = join(out, "server-archive-v1.sqlite");

function build() {
  mkdirSync(out, { recursive: true });
  const tmp = `${db}.building`;
  rmSync(tmp, { force: true });
  const store = openStore(tmp);
  const rng = createRng(1);
  const t0 = performance.now();
  const base = "# persona generator\nDIVERSITY_AXES = [\n" + Array.from({ length: 40 }, (_, i) => `    {"behavior": "axis_${i}", "definition": "how the user behaves on axis ${i}"},\n`).join("") + "]\n";
  store.tx(() => {
    store.db.query("INSERT INTO runs (id, kind, status, config_json, seed, ppol_version, created_at, updated_at) VALUES ('big', 'simulate', 'done', '{}', 1, 'bench', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')").run();
    const program = store.db.query("INSERT INTO persona_programs (sha256, name, code, created_at) VALUES (?, ?, ?, ?)");
    for (let i = 0; i < PROGRAMS; i++) {
      const code = `${base}\ndef generate_personas_detailed(c, axes, n):\n    # variant ${i}\n    k = ${rng.int(1000)}\n    return [{"persona_id": f"p{j}", "description": "x" * k} for j in range(n)]\n`;
      program.run(sha256(code), `program-${i}.py`, code, new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString());
    }
    const episode = store.db.query(
      `INSERT INTO episodes (id, run_id, ordinal, domain, task_id, trial, persona_key, persona_text, seed, agent_model, user_model, termination, reward, reward_json, steps, tool_errors, user_turns,
        messages_json, fidelity_json, fidelity_flags, llm_calls, prompt_tokens, completion_tokens, error, ms, created_at)
       VALUES (?, 'big', ?, 'retail', ?, ?, '', NULL, 1, 'a', 'u', 'user_stop', ?, '{"db": 1}', 12, 0, 4, ?, '[]', 0, 9, 4000, 300, NULL, 1000, '2026-01-01T00:00:00Z')`,
    );
    for (let i = 0; i < EPISODES; i++) {
      const messages = [
        { role: "assistant", content: "Hi! How can I help you today?", turn: 0 },
        { role: "user", content: `hi, i need to return the lamp from order #W${1000000 + i}, it arrived broken`, turn: 1 },
        { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "get_order_details", arguments: { order_id: `#W${1000000 + i}` } }], turn: 2 },
        { role: "tool", content: JSON.stringify({ order_id: `#W${1000000 + i}`, status: "delivered", items: [{ name: "lamp", price: 120.5 }] }), toolCallId: "c1", name: "get_order_details", error: false, turn: 3 },
        { role: "assistant", content: "I can help with that. Could you confirm the payment method for the refund?", turn: 4 },
        { role: "user", content: "same card as before pls", turn: 5 },
        { role: "assistant", content: "Done: your return is requested and the refund goes to your card.", turn: 6 },
        { role: "user", content: "ok thanks ###STOP###", turn: 7 },
      ];
      episode.run(`big-${i}`, i, String(i % 100), Math.floor(i / 100), rng.int(2), JSON.stringify(messages));
    }
  });
  const humans = Array.from({ length: 200 }, (_, i) => ({
    conversation: { id: `h${i}`, source: "human", domain: "retail", messages: [{ role: "assistant" as const, content: "Hello" }, { role: "user" as const, content: `my order ${i} is late?? what is going on` }], meta: {} },
    split: "train" as const,
  }));
  saveConversationSet(store, { name: "humans", kind: "human", format: "jsonl", domain: "retail", source_files: [], normalization: "none", preparation: "reference", split_rule: "all", space: "raw" }, humans, { replace: false, now: new Date(0) });
  store.db.exec("ANALYZE");
  store.close();
  renameSync(tmp, db);
  console.log(`built ${db} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (!existsSync(db)) build();
const store = openStore(db); // migrates an archive built by an older schema
const programs = (store.db.query("SELECT sha256 FROM persona_programs").all() as { sha256: string }[]).map((r) => r.sha256);
store.close();

const server = Bun.spawn([process.execPath, join(import.meta.dir, "../src/cli/main.ts"), "serve", "--db", db, "--port", "0"], { stdout: "pipe", stderr: "inherit" });
const lines = server.stdout.getReader();
let banner = "";
while (!banner.includes("\n")) banner += new TextDecoder().decode((await lines.read()).value);
const url = /ppol serve: (http:\/\/\S+)/.exec(banner)![1]!;

const rng = createRng(7);
const kinds: Record<string, () => string> = {
  "run dashboard (100,000 episodes)": () => (rng.int(4) ? "/runs/big" : `/runs/big?after=${rng.int(EPISODES)}`),
  "program page (10,000 programs, with diff)": () => `/programs/${programs[rng.int(programs.length)]}`,
  "episode page (fingerprint vs human mean)": () => `/episodes/big-${rng.int(EPISODES)}`,
};

console.log(`# server: ${CLIENTS} concurrent clients on loopback, ≤ ${REQUESTS_PER_KIND} requests or ${MAX_SECONDS_PER_KIND} s per page kind; archive ${(Bun.file(db).size / 2 ** 20).toFixed(0)} MB`);
try {
  for (const [name, next] of Object.entries(kinds)) {
    await fetch(url + next()); // warm caches and prepared statements once
    const times: number[] = [];
    let failures = 0;
    let issued = 0;
    const deadline = performance.now() + MAX_SECONDS_PER_KIND * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (issued < REQUESTS_PER_KIND && performance.now() < deadline) {
          issued++;
          const t = performance.now();
          const res = await fetch(url + next());
          await res.arrayBuffer();
          times.push(performance.now() - t);
          if (res.status !== 200) failures++;
        }
      }),
    );
    report(`${name} p50`, percentile(times, 50), "ms");
    report(`${name} p95 (${times.length} requests, ${failures} failed)`, percentile(times, 95), "ms", { max: 100 });
  }
  // The dashboard's numbers are cached until the archive changes; while a run writes, each commit costs one
  // fresh aggregate over the covering index:
  const read = openReadStore(db);
  const cold = Array.from({ length: 5 }, () => {
    const t = performance.now();
    runNumbers(read, "big");
    return performance.now() - t;
  });
  read.close();
  report("run numbers recomputed after a commit (median of 5)", median(cold), "ms", { max: 100 });
} finally {
  server.kill();
  await server.exited;
}
