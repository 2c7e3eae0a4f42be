import { expect } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDomainDir } from "../../src/tau2/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { runCli } from "../support/cli.ts";

async function ppol(cwd: string, ...argv: string[]) {
  const { code, lines, err } = await runCli(argv, { cwd });
  return { code, out: lines, err };
}

sharedTest("ppol fidelity: one line per conversation, flags on planted contradictions only", async () => {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-fid-"));
  const task = loadDomainDir(sharedPath("tau2/domains"), "airline").tasks.find((t) => t.id === "11")!;
  const known = (task.user_scenario.instructions as { known_info: string }).known_info;
  const userId = /\b[a-z]+_[a-z]+_\d+\b/.exec(known)![0];
  const line = (id: string, userText: string) => JSON.stringify({ id, source: "sim", domain: "airline", task_id: "11", messages: [{ role: "assistant", content: "Hi! How can I help you today?" }, { role: "user", content: userText }] });
  writeFileSync(join(cwd, "c.jsonl"), [line("faithful", `hi, my user id is ${userId}`), line("invented", "my user id is zed_fake_0001 and order #W0000001")].join("\n"));
  const r = await ppol(cwd, "fidelity", "c.jsonl", "--tau2-data", sharedPath("tau2/domains"));
  expect(r.code).toBe(0);
  const [faithful, invented] = r.out.map((l) => JSON.parse(l));
  expect(faithful).toEqual({ id: "faithful", flags: [] });
  expect(invented.flags.map((f: { kind: string }) => f.kind).sort()).toEqual(["order_id", "user_id"]);
  expect(invented.flags[0].turn).toBe(1);

  writeFileSync(join(cwd, "bad.jsonl"), JSON.stringify({ id: "x", source: "sim", messages: [] }));
  const bad = await ppol(cwd, "fidelity", "bad.jsonl", "--tau2-data", sharedPath("tau2/domains"));
  expect(bad.code).toBe(2);
  expect(bad.err).toContain("task_id");
});

sharedTest("ppol fidelity --judge: the judge role adds goals the rules cannot name; invented turn numbers are dropped", async () => {
  const { startFakeOpenAI, text } = await import("../support/fake-openai/index.ts");
  const fake = await startFakeOpenAI();
  try {
    // Turn 1 is a customer turn; turn 0 is the agent's greeting (a judge error that must be dropped).
    fake.reply({ role: "judge" }, text('{"new_goals": [{"turn": 1, "goal": "seat upgrade", "quote": "give me a window seat"}, {"turn": 0, "goal": "bogus"}]}'));
    const cwd = mkdtempSync(join(tmpdir(), "ppol-fidj-"));
    writeFileSync(join(cwd, "c.jsonl"), JSON.stringify({ id: "x", source: "sim", domain: "airline", task_id: "11", messages: [{ role: "assistant", content: "Hi! How can I help you today?" }, { role: "user", content: "give me a window seat" }] }));
    const r = await ppol(cwd, "fidelity", "c.jsonl", "--judge", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(cwd, "a.sqlite"));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const [line] = r.out.map((l) => JSON.parse(l));
    expect(line.flags).toEqual([{ turn: 1, kind: "new_goal", evidence: 'judge: seat upgrade: "give me a window seat"' }]);
    expect(fake.requests.filter((q) => q.role === "judge")).toHaveLength(1);
  } finally {
    await fake.stop();
  }
});
