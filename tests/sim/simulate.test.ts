/**
 * Whole τ² episodes through `ppol simulate` against the fake OpenAI server and the real τ² data:
 * the scripted agent plays a task's gold actions (or a broken variant), and the reward/termination
 * must be what τ² gives for that trajectory.
 */
import { afterAll, beforeAll, beforeEach, describe, expect } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listEpisodes, listRuns, openStore } from "../../src/store/index.ts";
import { loadDomainDir, type Domain } from "../../src/tau2/index.ts";
import { startFakeOpenAI, text, toolCall, type FakeOpenAI, type Reply } from "../support/fake-openai/index.ts";
import { HAS_SHARED, sharedPath, sharedTest } from "../support/shared.ts";
import { runCli } from "../support/cli.ts";

let fake: FakeOpenAI;
let airline: Domain;
let retail: Domain;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  if (HAS_SHARED) {
    airline = loadDomainDir(sharedPath("tau2/domains"), "airline");
    retail = loadDomainDir(sharedPath("tau2/domains"), "retail");
  }
});
beforeEach(() => fake.reset());
afterAll(() => fake.stop());

async function simulate(args: string[], cwd = mkdtempSync(join(tmpdir(), "ppol-sim-"))) {
  const { code, out, err } = await runCli(["simulate", "--json", "--concurrency", "1", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(cwd, "a.sqlite"), ...args], { cwd });
  const doc = out ? JSON.parse(out) : undefined;
  const store = openStore(join(cwd, "a.sqlite"));
  const episodes = doc ? listEpisodes(store, doc.run_id) : [];
  store.close();
  return { code, doc, episodes, err, cwd };
}

const gold = (domain: Domain, id: string) => domain.tasks.find((t) => t.id === id)!.evaluation_criteria!;
const goldReplies = (domain: Domain, id: string): Reply[] => gold(domain, id).actions!.map((a) => toolCall(a.name, a.arguments as Record<string, unknown>));

describe("simulate: scripted τ² episodes", () => {
  sharedTest("airline: the gold actions and the communicated amount score 1", async () => {
    fake.conversation({ role: "user" }, [text("hi, i need to change my trip"), text("great thanks ###STOP###")]);
    fake.conversation({ role: "agent" }, [...goldReplies(airline, "11"), text(`Done. Your refund is $${gold(airline, "11").communicate_info![0]}.`)]);
    const { code, episodes, doc } = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(code).toBe(0);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.termination).toBe("user_stop");
    expect(episodes[0]!.reward).toBe(1);
    expect(doc.summary.pass_hat_k["1"]).toBe(1);
  });

  sharedTest("airline: the same actions without communicating the amount score 0 (COMMUNICATE)", async () => {
    fake.conversation({ role: "user" }, [text("hi"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [...goldReplies(airline, "11"), text("Done.")]);
    const { episodes } = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(episodes[0]!.reward).toBe(0);
    expect((episodes[0]!.reward_info as any).components.DB.reward).toBe(1);
    expect((episodes[0]!.reward_info as any).components.COMMUNICATE.reward).toBe(0);
  });

  sharedTest("airline: a dropped state-changing call scores 0 (DB)", async () => {
    const replies = goldReplies(airline, "7");
    const lastWrite = replies.findLastIndex((r) => ["cancel_reservation", "update_reservation_flights"].includes(r.toolCalls![0]!.name));
    replies.splice(lastWrite, 1);
    fake.conversation({ role: "user" }, [text("hello"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [...replies, text(`Refund ${gold(airline, "7").communicate_info![0]}`)]);
    const { episodes } = await simulate(["--domain", "airline", "--tasks", "7"]);
    expect(episodes[0]!.termination).toBe("user_stop");
    expect((episodes[0]!.reward_info as any).components.DB.reward).toBe(0);
    expect(episodes[0]!.reward).toBe(0);
  });

  sharedTest("transfer: the user's ###TRANSFER### ends the episode; a task needing writes scores 0", async () => {
    fake.conversation({ role: "user" }, [text("cancel my flight"), text("###TRANSFER###")]);
    fake.conversation({ role: "agent" }, [toolCall("transfer_to_human_agents", { summary: "wants cancel" }), text("YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.")]);
    const { episodes } = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(episodes[0]!.termination).toBe("user_stop");
    expect(episodes[0]!.reward).toBe(0);
    expect(episodes[0]!.messages.some((m) => m.role === "tool" && m.content === "Transfer successful")).toBe(true);
  });

  sharedTest("out-of-scope and max steps: both end the episode as τ² would", async () => {
    fake.conversation({ role: "user" }, [text("###OUT-OF-SCOPE###")]);
    const oos = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(oos.episodes[0]!.termination).toBe("user_stop");
    fake.reset();
    fake.reply({ role: "user" }, text("and then?"));
    fake.reply({ role: "agent" }, text("Could you tell me more?"));
    const long = await simulate(["--domain", "airline", "--tasks", "11", "--max-steps", "8"]);
    expect(long.episodes[0]!.termination).toBe("max_steps");
    expect(long.episodes[0]!.reward).toBe(0);
    expect(long.episodes[0]!.steps).toBe(8);
  });

  sharedTest("ten tool errors end the episode with reward 0", async () => {
    fake.reply({ role: "user" }, text("please retry"));
    fake.reply({ role: "agent" }, toolCall("get_reservation_details", { reservation_id: "NOPE00" }));
    const { episodes } = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(episodes[0]!.termination).toBe("too_many_errors");
    expect(episodes[0]!.tool_errors).toBe(10);
    expect(episodes[0]!.reward).toBe(0);
  });

  sharedTest("a local model writing its tool calls as text still solves the task", async () => {
    fake.conversation({ role: "user" }, [text("hi"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [...goldReplies(airline, "11"), text(`Refund: ${gold(airline, "11").communicate_info![0]}`)]);
    fake.fault({ kind: "tool_calls_in_content", style: "hermes" }, { match: { role: "agent" }, times: 5 });
    const { episodes } = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(episodes[0]!.reward).toBe(1);
  });

  sharedTest("retail: NL assertions go to the judge role; without a judge they are 'not evaluated', never 1", async () => {
    const script = () => {
      fake.conversation({ role: "user" }, [text("i want to return stuff"), text("ok ###STOP###")]);
      fake.conversation({ role: "agent" }, [...goldReplies(retail, "2"), text("All done.")]);
    };
    script();
    fake.reply({ role: "judge" }, text('{"results": [{"assertion": 0, "met": true, "reason": "stated"}]}'));
    const judged = await simulate(["--domain", "retail", "--tasks", "2"]);
    expect(judged.episodes[0]!.reward).toBe(1);
    expect(fake.requests.some((r) => r.role === "judge")).toBe(true);
    fake.reset();
    script();
    const unjudged = await simulate(["--domain", "retail", "--tasks", "2", "--no-judge"]);
    expect(unjudged.episodes[0]!.reward).toBeNull();
    expect(unjudged.doc.summary.excluded.not_evaluated).toBe(1);
    expect(fake.requests.some((r) => r.role === "judge")).toBe(false);
  });

  sharedTest("personas reach the user simulator's prompt, one episode per persona; --out writes interchange JSONL", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-sim-"));
    const personas = join(cwd, "personas.jsonl");
    await Bun.write(personas, ['{"task_id": "11", "persona_id": "terse", "expanded_instruction": "You type in lower case, two or three words at a time."}', '{"task_id": "11", "persona_id": "angry", "expanded_instruction": "You are furious about the delay."}'].join("\n"));
    fake.reply({ role: "user" }, text("###STOP###"));
    const { episodes, doc } = await simulate(["--domain", "airline", "--tasks", "11", "--personas", personas, "--out", join(cwd, "eps.jsonl")], cwd);
    expect(episodes.map((e) => e.persona_key)).toEqual(["terse", "angry"]);
    const systems = fake.requests.filter((r) => r.role === "user").map((r) => r.system);
    expect(systems.some((s) => s.includes("YOUR BEHAVIORAL STYLE") && s.includes("two or three words"))).toBe(true);
    expect(systems.some((s) => s.includes("furious"))).toBe(true);
    const lines = readFileSync(join(cwd, "eps.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ domain: "airline", task_id: "11", source: `run:${doc.run_id}` });
    expect(lines[0].messages[0]).toEqual({ role: "assistant", content: "Hi! How can I help you today?" });
  });

  sharedTest("--fidelity-judge stores the judge's goal flags with the episode", async () => {
    fake.conversation({ role: "user" }, [text("hi, also i want a refund for my hotel"), text("###STOP###")]);
    fake.reply({ role: "judge" }, text('{"new_goals": [{"turn": 1, "goal": "hotel refund", "quote": "refund for my hotel"}]}'));
    const { episodes } = await simulate(["--domain", "airline", "--tasks", "11", "--fidelity-judge"]);
    expect(episodes[0]!.fidelity).toContainEqual({ turn: 1, kind: "new_goal", evidence: 'judge: hotel refund: "refund for my hotel"' });
  });

  sharedTest("bad input: unknown task, unknown split, bad personas file, missing domain", async () => {
    expect((await simulate(["--domain", "airline", "--tasks", "9999"])).code).toBe(2);
    const split = await simulate(["--domain", "airline", "--split", "tset"]);
    expect(split.code).toBe(2);
    expect(split.err).toContain('did you mean "test"');
    const cwd = mkdtempSync(join(tmpdir(), "ppol-sim-"));
    await Bun.write(join(cwd, "p.jsonl"), '{"task_id": "11"}\n');
    const bad = await simulate(["--domain", "airline", "--tasks", "11", "--personas", join(cwd, "p.jsonl")], cwd);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("p.jsonl:1");
    // Nothing was started for a run that failed validation.
    const store = openStore(join(cwd, "a.sqlite"));
    expect(listRuns(store)).toEqual([]);
    store.close();
    expect((await simulate(["--tasks", "11"])).code).toBe(2);
  });
});

describe("simulate: an unusable model server", () => {
  sharedTest("stops after three infrastructure failures in a row, naming the error and how to resume", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-dead-"));
    await Bun.write(join(cwd, "ppol.toml"), "[llm]\nmax_attempts = 1\n");
    const { code, out, err } = await runCli(["simulate", "--json", "--concurrency", "1", "--no-judge", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", "http://127.0.0.1:9/v1", "--db", join(cwd, "a.sqlite"), "--domain", "airline", "--tasks", "0,1,2,3,4,5"], { cwd });
    expect(code).toBe(1);
    const doc = JSON.parse(out);
    expect(doc.status).toBe("failed");
    expect(doc.ran).toBe(3);
    expect(err).toContain(`--resume ${doc.run_id}`);
    const store = openStore(join(cwd, "a.sqlite"));
    expect(listRuns(store)[0]!.status).toBe("failed");
    store.close();
  });
});

describe("simulate: LLM budget", () => {
  sharedTest("--max-tokens stops new work cleanly; --resume with more budget finishes the run", async () => {
    fake.reply({ role: "agent" }, text("Sure."));
    fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 3 ? "ok ###STOP###" : "hello there"));
    const first = await simulate(["--domain", "airline", "--tasks", "0,1,2,3,4,5,6,7", "--no-judge", "--max-tokens", "6000"]);
    expect(first.code).toBe(1);
    expect(first.doc.status).toBe("interrupted");
    expect(first.err).toContain("LLM budget reached");
    expect(first.episodes.length).toBeGreaterThan(0);
    expect(first.episodes.length).toBeLessThan(8);
    expect(first.episodes.every((e) => e.termination === "user_stop")).toBe(true);
    const { code, out } = await runCli(["simulate", "--resume", first.doc.run_id, "--json", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(first.cwd, "a.sqlite")], { cwd: first.cwd });
    expect(code).toBe(0);
    expect(JSON.parse(out).summary.episodes).toBe(8);
  });
});

describe("simulate: record and replay", () => {
  sharedTest("the same command with --llm-cache ro and the server stopped gives identical episodes", async () => {
    const replay = await startFakeOpenAI();
    replay.reply({ role: "agent" }, (req) => text(`Noted (${req.body.messages.length}).`));
    replay.reply({ role: "user" }, (req) => text(req.body.messages.length > 4 ? "thanks ###STOP###" : `turn ${req.body.messages.length}`));
    const cwd = mkdtempSync(join(tmpdir(), "ppol-replay-"));
    const args = (mode: string) => ["simulate", "--json", "--concurrency", "4", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", replay.baseUrl, "--model", "qwen3:8b", "--db", join(cwd, "a.sqlite"), "--domain", "airline", "--tasks", "0,1,2", "--trials", "2", "--no-judge", "--llm-cache", mode];
    const run = async (mode: string) => {
      const { code, out, err } = await runCli(args(mode), { cwd });
      expect(err).not.toContain("ppol:");
      expect(code).toBe(0);
      const doc = JSON.parse(out);
      const store = openStore(join(cwd, "a.sqlite"));
      const episodes = listEpisodes(store, doc.run_id).map((e) => ({ task: e.task_id, trial: e.trial, messages: e.messages, reward: e.reward, termination: e.termination }));
      store.close();
      return { doc, episodes };
    };
    const recorded = await run("rw");
    const callsMade = replay.requests.length;
    await replay.stop();
    const replayed = await run("ro");
    expect(callsMade).toBeGreaterThan(0);
    expect(replayed.doc.run_id).not.toBe(recorded.doc.run_id);
    expect(JSON.stringify(replayed.episodes)).toBe(JSON.stringify(recorded.episodes));
    expect(replayed.doc.summary).toEqual(recorded.doc.summary);
  });
});

describe("simulate --program", () => {
  sharedTest("generates personas in the sandbox with the PPol seed, then runs one episode per persona", async () => {
    const { population, WORDS_180 } = await import("../personas/_scripted.ts");
    fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(2) })));
    fake.reply({ role: "generator" }, text(WORDS_180));
    fake.reply({ role: "user" }, text("###STOP###"));
    const { code, episodes, doc } = await simulate(["--domain", "airline", "--tasks", "11,12", "--program", "seed:ppol", "--n", "2", "--no-judge"]);
    expect(code).toBe(0);
    expect(doc.planned).toBe(4);
    expect(episodes.map((e) => `${e.task_id}/${e.persona_key}`)).toEqual(["11/p1", "11/p2", "12/p1", "12/p2"]);
    expect(episodes.every((e) => e.persona_text === WORDS_180)).toBe(true);
    expect(fake.requests.filter((r) => r.role === "generator").length).toBe(2 * 3);
  });
});
