/**
 * Upstream τ²-bench results files, as `tau2 run` saves them (fixture written by hand from upstream's
 * documented `Results` / `SimulationRun` / message models): detected, parsed, fingerprinted and scored.
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectFormat, readConversations, toJsonl } from "../../src/conversations/index.ts";
import { userTurns } from "../../src/model/index.ts";
import { PpolError } from "../../src/errors.ts";
import { runCli } from "../support/cli.ts";

const FIXTURE = join(import.meta.dir, "../fixtures/conversations/tau2-results.json");

describe("τ² results import", () => {
  test("detected from the content, one conversation per simulation, as a ppol episode would export", () => {
    expect(detectFormat("run.json", readFileSync(FIXTURE, "utf8"))).toBe("tau2-results");
    const [a, b] = readConversations(FIXTURE, undefined);
    expect(a!.id).toBe("0b1c2d3e-0000-4000-8000-000000000001");
    expect(a!).toMatchObject({ source: "simulator", domain: "retail", task_id: "7" });
    expect(b!.task_id).toBe("7"); // an integer task id becomes the string id
    // System message dropped; the two results of the parallel call become two tool messages.
    expect(a!.messages.map((m) => m.role)).toEqual(["assistant", "user", "assistant", "tool", "tool", "assistant", "user", "assistant", "tool", "assistant", "user"]);
    expect(a!.messages[2]!.content).toBe("");
    expect(userTurns(a!)).toEqual(["hey i want to return a lamp, order W1234567", "yes please", "thanks ###STOP###"]);
    expect(a!.meta).toMatchObject({ trial: 0, seed: 424242, reward: 1, termination: "user_stop", agent_model: "my-agent-model", user_model: "my-user-model", agent_cost: 0.0021 });
    expect((a!.meta.tool_calls as { turn: number; name: string }[]).map((c) => [c.turn, c.name])).toEqual([[2, "get_order_details"], [2, "get_user_details"], [7, "return_delivered_order_items"]]);
    expect(b!.meta).toMatchObject({ reward: null, termination: "max_steps", trial: 1 });
  });

  test("--domain keeps only a matching results file", () => {
    expect(readConversations(FIXTURE, "tau2-results", { domain: "airline" })).toEqual([]);
    expect(readConversations(FIXTURE, "tau2-results", { domain: "retail" })).toHaveLength(2);
  });

  test("a file of another shape given as tau2-results is an input error naming the field", () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-t2r-"));
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ info: { git_commit: "x" }, tasks: [], simulations: [{ id: "s", task_id: "1" }] }));
    expect(() => readConversations(other, "tau2-results")).toThrow(PpolError);
    expect(() => readConversations(other, "tau2-results")).toThrow(/not a τ²-bench results file \(field simulations\.0\.termination_reason/);
    const dirFormat = join(dir, "results.json");
    writeFileSync(dirFormat, JSON.stringify({ timestamp: null, info: { git_commit: "x" }, tasks: [], simulations: [], simulation_index: [{ id: "s", task_id: "1", trial: 0 }] }));
    expect(() => readConversations(dirFormat, undefined)).toThrow(/directory-format/);
  });

  test("CLI: fingerprint reads it as it is; a file of another shape exits 2 with one line", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-t2r-cli-"));
    copyFileSync(FIXTURE, join(cwd, "results.json"));
    const ok = await runCli(["fingerprint", "results.json"], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.lines.map((l) => JSON.parse(l).id)).toEqual(["0b1c2d3e-0000-4000-8000-000000000001", "0b1c2d3e-0000-4000-8000-000000000002"]);
    writeFileSync(join(cwd, "list.json"), JSON.stringify({ hello: "world" }));
    const bad = await runCli(["fingerprint", "list.json", "--format", "tau2-results"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.err.split("\n")).toHaveLength(1);
    expect(bad.err).toContain("not a τ²-bench results file");
  });

  test("CLI: a results file trains a discriminator (--simulator) and scores (--episodes) against humans", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-t2r-score-"));
    copyFileSync(FIXTURE, join(cwd, "results.json"));
    const terse = ["need refund", "order W123", "yes", "no", "ugh fine", "ok", "cancel it", "wrong one"];
    const humans = Array.from({ length: 12 }, (_, i) => ({ id: `h${i}`, source: "human", domain: "retail", task_id: String(i % 3), messages: terse.slice(i % 4, (i % 4) + 3).map((content) => ({ role: "user" as const, content })), meta: {} }));
    writeFileSync(join(cwd, "humans.jsonl"), toJsonl(humans));
    const ppol = (...argv: string[]) => runCli([...argv, "--db", join(cwd, "a.sqlite")], { cwd });
    expect((await ppol("human", "import", "humans.jsonl", "--format", "jsonl", "--name", "h")).code).toBe(0);
    const trained = await ppol("discriminator", "train", "--human", "h", "--simulator", "results.json", "--trees", "10", "--json");
    expect(trained.err).toBe("");
    expect(trained.code).toBe(0);
    const scored = await ppol("score", "--episodes", "results.json", "--human", "h", "--discriminator", JSON.parse(trained.out).id, "--json");
    expect(scored.code).toBe(0);
    const result = JSON.parse(scored.out);
    expect(result.episodes.map((e: { id: string }) => e.id)).toEqual(["0b1c2d3e-0000-4000-8000-000000000001", "0b1c2d3e-0000-4000-8000-000000000002"]);
    expect(result.tasks).toHaveLength(1);
    expect(result.hl).toBeGreaterThanOrEqual(0);
    expect(result.hl).toBeLessThanOrEqual(1);
  });
});
