/** SFT exports against hand-made expected files of both documented shapes, and `ppol export sft` end to end. */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toOpenAiChat, toShareGpt } from "../../src/report/index.ts";
import { agentSystemPrompt } from "../../src/sim/index.ts";
import { type EpisodeMessage } from "../../src/model/index.ts";
import { openStore } from "../../src/store/index.ts";
import { loadDomainDir, type ToolSchema } from "../../src/tau2/index.ts";
import { addEpisodes, addRun, episodeRecord } from "../support/archive.ts";
import { runCli } from "../support/cli.ts";

const FIX = join(import.meta.dir, "../fixtures/report/sft");
const TAU2 = join(import.meta.dir, "../fixtures/tau2");
const episode = JSON.parse(readFileSync(join(FIX, "episode.json"), "utf8")) as EpisodeMessage[];
const tool: ToolSchema = { type: "function", function: { name: "get_order_details", description: "Look up an order.", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } };
const ctx = { system: "SYSTEM", tools: [tool] };

describe("SFT formats", () => {
  test("LLaMA-Factory ShareGPT matches the hand-made expected record", () => {
    expect(toShareGpt(episode, ctx)).toEqual(JSON.parse(readFileSync(join(FIX, "expected-sharegpt.json"), "utf8")));
  });

  test("OpenAI chat fine-tuning line matches the hand-made expected line", () => {
    expect(toOpenAiChat(episode, ctx)).toEqual(JSON.parse(readFileSync(join(FIX, "expected-openai.jsonl"), "utf8").trim()));
  });

  test("without parallel calls the OpenAI example says so; an episode with no agent reply is skipped", () => {
    const single = episode.filter((m) => !(m.role === "assistant" && (m.toolCalls?.length ?? 0) > 1) && !(m.role === "tool" && m.turn <= 4));
    const record = toOpenAiChat(single, ctx);
    expect(typeof record === "object" && record.parallel_tool_calls).toBe(false);
    const silent: EpisodeMessage[] = [{ role: "assistant", content: "Hi! How can I help you today?", turn: 0 }, { role: "user", content: "###STOP###", turn: 1 }];
    expect(toShareGpt(silent, ctx)).toBe("no agent reply");
    expect(toOpenAiChat(silent, ctx)).toBe("no agent reply");
  });

  test("a call whose result never came is dropped with everything after the last reply", () => {
    const cut: EpisodeMessage[] = [...episode.slice(0, 7), { role: "assistant", content: null, toolCalls: [{ id: "c9", name: "cancel_pending_order", arguments: {} }], turn: 7 }];
    const r = toShareGpt(cut, ctx);
    expect(typeof r === "object" && r.conversations.at(-1)).toEqual({ from: "gpt", value: "Your order is pending. Cancel it?" });
  });
});

describe("ppol export sft", () => {
  test("writes both files, the LLaMA-Factory entry and a dataset card; the reward filter holds", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-sft-"));
    const db = join(cwd, "a.sqlite");
    const store = openStore(db);
    addRun(store, "sim-1", "simulate");
    addEpisodes(store, [
      episodeRecord({ run_id: "sim-1", task_id: "0", messages: episode, reward: 1, persona_key: "p0" }),
      episodeRecord({ run_id: "sim-1", task_id: "1", reward: 0 }),
      episodeRecord({ run_id: "sim-1", task_id: "1", trial: 1, reward: null, termination: "infrastructure_error" }),
    ]);
    store.close();
    const run = (...extra: string[]) => runCli(["export", "sft", "--runs", "sim-1", "--db", db, "--tau2-data", TAU2, ...extra], { cwd });
    const r = await run("--out", "sft");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe("wrote 1 ShareGPT and 1 OpenAI conversations (1 of 3 episodes with reward ≥ 1) and README.md to sft/");
    const sharegpt = JSON.parse(readFileSync(join(cwd, "sft/sharegpt.json"), "utf8"));
    expect(sharegpt).toHaveLength(1);
    const policy = readFileSync(join(TAU2, "airline/policy.md"), "utf8");
    expect(sharegpt[0].system).toBe(agentSystemPrompt(policy));
    const toolNames = JSON.parse(sharegpt[0].tools).map((t: { name: string }) => t.name);
    expect([...toolNames].sort()).toEqual([...loadDomainDir(TAU2, "airline").toolkit.byName.keys()].sort());
    expect(toolNames).toContain("get_reservation_details");
    expect(sharegpt[0].conversations).toEqual(JSON.parse(readFileSync(join(FIX, "expected-sharegpt.json"), "utf8")).conversations);
    const openai = readFileSync(join(cwd, "sft/openai.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(openai).toHaveLength(1);
    expect(openai[0].tools.map((t: ToolSchema) => t.function.name)).toEqual(toolNames);
    expect(JSON.parse(readFileSync(join(cwd, "sft/dataset_info.json"), "utf8"))).toEqual({ ppol_sft: { file_name: "sharegpt.json", formatting: "sharegpt", columns: { messages: "conversations", system: "system", tools: "tools" } } });
    const card = readFileSync(join(cwd, "sft/README.md"), "utf8");
    expect(card).toContain("| sim-1 | airline | 3 | 1 | 1 | 1 | 1 |");
    expect(card).toContain("Agent model(s): agent-m. User simulator model(s): user-m.");
    expect(card).toContain("## Licence notes");

    const all = await run("--out", "sft0", "--min-reward", "0");
    expect(all.out).toContain("(2 of 3 episodes with reward ≥ 0)");
  });

  test("bad input exits 2 with one line: unknown run, missing output parent, bad --min-reward", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-sft-bad-"));
    const db = join(cwd, "a.sqlite");
    for (const [args, says] of [
      [["--runs", "nope", "--out", "x"], 'no simulate run "nope"'],
      [["--runs", "nope", "--out", "no/such/dir"], "parent folder"],
      [["--runs", "nope", "--out", "x", "--min-reward", "high"], '--min-reward: "high"'],
    ] as const) {
      const r = await runCli(["export", "sft", ...args, "--db", db, "--tau2-data", TAU2], { cwd });
      expect(r.code).toBe(2);
      expect(r.err.split("\n")).toHaveLength(1);
      expect(r.err).toContain(says);
    }
  });
});
