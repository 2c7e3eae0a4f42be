/** `ppol runs` and `ppol run show` on an archive built by hand (expected numbers worked out below). */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRun, insertEpisode, openStore, recordLlmCalls, savePersonaProgram, savePersonaTask, setRunStatus, type EpisodeRecordInput } from "../../src/store/index.ts";
import { runCli } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "ppol-runs-"));
const at = (min: number) => new Date(Date.UTC(2026, 10, 30, 12, min));

function episode(id: string, task: string, trial: number, reward: number): EpisodeRecordInput {
  return {
    id, run_id: "sim-a", ordinal: trial * 2 + Number(task.slice(1)), domain: "airline", task_id: task, trial, persona_key: "", persona_text: null, seed: 1,
    agent_model: "m1", user_model: "m2", termination: "user_stop", reward, reward_info: {}, steps: 6, tool_errors: 0, user_turns: 3,
    messages: [{ role: "user", content: "hi", turn: 1 }], fidelity: [], llm_calls: 6, prompt_tokens: 0, completion_tokens: 0, error: null, retries: [], user_guidelines_sha256: null, ms: 1000, created_at: at(5).toISOString(),
  };
}

beforeAll(() => {
  const store = openStore(join(dir, "a.sqlite"));
  // A simulate run: 2 tasks × 2 trials; t0 succeeds once of twice, t1 twice. Interrupted once, then resumed and finished.
  createRun(store, { id: "sim-a", kind: "simulate", config: { plan: { domain: "airline", task_ids: ["t0", "t1"], personas: null, trials: 2 } }, seed: 42, version: "0.1.0", now: at(0) });
  for (const [id, task, trial, reward] of [["e1", "t0", 0, 1], ["e2", "t1", 0, 1], ["e3", "t0", 1, 0], ["e4", "t1", 1, 1]] as const) insertEpisode(store, episode(id, task, trial, reward));
  setRunStatus(store, "sim-a", "interrupted", at(10), "Ctrl-C");
  setRunStatus(store, "sim-a", "running", at(20));
  setRunStatus(store, "sim-a", "done", at(25));
  const call = (role: string, model: string, prompt: number | null, completion: number | null, status: "ok" | "error" = "ok") => ({
    call: { run_id: "sim-a", request_hash: `h-${role}-${prompt}`, role, attempt: 1, endpoint: "local", base_url: "http://x/v1", model, status, error_kind: status === "error" ? "server" : null, error: status === "error" ? "boom" : null, response_json: null, raw_json: null, prompt_tokens: prompt, completion_tokens: completion, latency_ms: 100, streamed: 0, created_at: at(5).toISOString() },
    request: { json: "{}", blobs: [] },
  });
  recordLlmCalls(store, [call("agent", "m1", 100, 20), call("agent", "m1", 100, 20), call("user", "m2", 50, 10), call("user", "m2", null, null, "error")]);
  // A personas run: 2 tasks, one failed; 3 personas stored.
  createRun(store, { id: "personas-b", kind: "personas", config: { domain: "retail", program: "seed:ppol" }, seed: 42, version: "0.1.0", now: at(30) });
  savePersonaProgram(store, { sha256: "abc", name: "seed:ppol", code: "x = 1", now: at(30) });
  const persona = (i: number) => ({ persona_id: `p${i}`, description: "d", axis_placement: {}, reasoning: "r", expanded_instruction: "talk tersely", warnings: [] });
  savePersonaTask(store, { runId: "personas-b", taskId: "1", programSha: "abc", domain: "retail", n: 3, ok: true, errorKind: null, error: null, failures: [], stdout: "", stderr: "", ms: 10, personas: [0, 1, 2].map(persona) } as never, at(31));
  savePersonaTask(store, { runId: "personas-b", taskId: "2", programSha: "abc", domain: "retail", n: 3, ok: false, errorKind: "timeout", error: "slow", failures: [], stdout: "", stderr: "", ms: 10, personas: [] } as never, at(32));
  setRunStatus(store, "personas-b", "failed", at(33));
  // A run made by another run (as an evolve evaluation or a benchmark condition is): listed only with --all.
  createRun(store, { id: "sim-a.sub", kind: "simulate", config: { plan: { domain: "airline", task_ids: ["t0"], trials: 1 } }, seed: 42, version: "0.1.0", now: at(40), parent: "sim-a" });
  store.close();
  // Prices: m1 costs $1 / $2 per million tokens in / out; m2 is free.
  writeFileSync(join(dir, "ppol.toml"), '[llm.prices."m1"]\ninput_per_mtok = 1.0\noutput_per_mtok = 2.0\n');
});

const ppol = (args: string[]) => runCli([...args, "--db", "a.sqlite"], { cwd: dir });

describe("ppol runs", () => {
  test("lists every run with episodes, tokens, cost and a summary", async () => {
    const r = await ppol(["runs", "--json"]);
    expect(r.code).toBe(0);
    const runs = JSON.parse(r.out);
    expect(runs.map((x: any) => [x.id, x.kind, x.status, x.episodes])).toEqual([["sim-a", "simulate", "done", 4], ["personas-b", "personas", "failed", 0]]);
    // m1: 200 in, 40 out → (200·1 + 40·2)/1e6 = 0.00028 USD; m2 free; tokens 200+40+50+10 = 300.
    expect(runs[0].tokens).toBe(300);
    expect(runs[0].cost).toBeCloseTo(0.00028, 12);
    // avg reward 3/4, pass^1 = (1/2 + 1)/2 = 0.75.
    expect(runs[0].summary).toBe("airline · 2 tasks × 2 trials · base simulator · avg reward 0.75 · pass^1 0.75");
    expect(runs[1].summary).toBe("retail · program seed:ppol · 2 tasks, 3 personas, 1 failed");
    const text = await ppol(["runs"]);
    expect(text.out).toContain("sim-a");
    expect(text.out).toContain("$0.0003");
  });

  test("runs made by other runs are listed with --all, counted with their parent, and named by run show", async () => {
    const top = JSON.parse((await ppol(["runs", "--json"])).out);
    expect(top.map((x: any) => x.id)).toEqual(["sim-a", "personas-b"]);
    expect(top[0].sub_runs).toBe(1);
    const all = JSON.parse((await ppol(["runs", "--all", "--json"])).out);
    expect(all.map((x: any) => x.id)).toEqual(["sim-a", "personas-b", "sim-a.sub"]);
    const sub = JSON.parse((await ppol(["run", "show", "sim-a.sub", "--json"])).out);
    expect(sub.parent_id).toBe("sim-a");
    const parent = JSON.parse((await ppol(["run", "show", "sim-a", "--json"])).out);
    expect(parent.sub_runs).toEqual([{ id: "sim-a.sub", kind: "simulate", status: "running" }]);
  });

  test("filters by kind and status", async () => {
    expect(JSON.parse((await ppol(["runs", "--kind", "personas", "--json"])).out).map((x: any) => x.id)).toEqual(["personas-b"]);
    expect(JSON.parse((await ppol(["runs", "--status", "done", "--json"])).out).map((x: any) => x.id)).toEqual(["sim-a"]);
    expect(JSON.parse((await ppol(["runs", "--limit", "1", "--json"])).out).map((x: any) => x.id)).toEqual(["personas-b"]);
  });

  test("an unknown kind or status is exit 2 with the valid values", async () => {
    const r = await ppol(["runs", "--kind", "nonsense"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("ppol: --kind nonsense: unknown kind — use one of: simulate, personas, evolve, benchmark");
    const s = await ppol(["runs", "--status", "paused"]);
    expect(s.code).toBe(2);
    expect(s.err).toContain("running, done, failed, interrupted");
  });
});

describe("ppol run show", () => {
  test("history, counts, usage per role with cost, timings and the next step", async () => {
    const r = await ppol(["run", "show", "sim-a", "--json"]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.history.map((e: any) => e.status)).toEqual(["running", "interrupted", "running", "done"]);
    expect(d.history[1].note).toBe("Ctrl-C");
    // Running 0→10 min and 20→25 min = 15 min; created 12:00, last update 12:25.
    expect(d.timings).toEqual({ running_s: 900, elapsed_s: 1500 });
    expect(d.counts).toEqual({ episodes: 4, tasks: 2 });
    expect(d.episodes.pass_hat_k).toEqual({ "1": 0.75, "2": 0.5 });
    expect(d.usage.map((u: any) => [u.role, u.model, u.calls, u.errors, u.prompt_tokens, u.completion_tokens])).toEqual([["agent", "m1", 2, 0, 200, 40], ["user", "m2", 1, 1, 50, 10]]);
    expect(d.totals.tokens).toBe(300);
    expect(d.plan.domain).toBe("airline");
    expect(d.next).toContain("ppol score --episodes sim-a");
  });

  test("an interrupted or failed run says how to continue it", async () => {
    const r = await ppol(["run", "show", "personas-b"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("counts: tasks 2 · failed 1 · personas 3");
    expect(r.lines.at(-1)).toBe("next: continue it: ppol personas --resume personas-b");
  });

  test("an unknown id is exit 2 naming recent runs", async () => {
    const r = await ppol(["run", "show", "sim-nope"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ppol: no run "sim-nope" in .*a\.sqlite — recent runs: sim-a, personas-b/);
  });
});
