/**
 * `ppol simulate` ends with the run's mean fingerprint (--cues) and writes --out episodes prepared like the
 * fitness commands read them: the user simulator's ###STOP### stays as text unless --strip-control.
 */
import { afterAll, beforeAll, beforeEach, describe, expect } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDomainDir, type Domain } from "../../src/tau2/index.ts";
import { runCli } from "../support/cli.ts";
import { startFakeOpenAI, text, toolCall, type FakeOpenAI } from "../support/fake-openai/index.ts";
import { HAS_SHARED, sharedPath, sharedTest } from "../support/shared.ts";

let fake: FakeOpenAI;
let airline: Domain;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  if (HAS_SHARED) airline = loadDomainDir(sharedPath("tau2/domains"), "airline");
});
beforeEach(() => fake.reset());
afterAll(() => fake.stop());

async function run(extra: string[]) {
  fake.conversation({ role: "user" }, [text("hi, i need to change my trip"), text("great thanks ###STOP###")]);
  fake.conversation({ role: "agent" }, [...airline.tasks.find((t) => t.id === "11")!.evaluation_criteria!.actions!.map((a) => toolCall(a.name, a.arguments as Record<string, unknown>)), text("Done.")]);
  const cwd = mkdtempSync(join(tmpdir(), "ppol-sim-fp-"));
  const argv = ["simulate", "--json", "--domain", "airline", "--tasks", "11", "--concurrency", "1", "--no-judge", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(cwd, "a.sqlite"), "--out", "eps.jsonl", ...extra];
  const r = await runCli(argv, { cwd });
  expect(r.code, r.err).toBe(0);
  const users = JSON.parse(readFileSync(join(cwd, "eps.jsonl"), "utf8")).messages.filter((m: { role: string }) => m.role === "user").map((m: { content: string }) => m.content);
  return { doc: JSON.parse(r.out), users };
}

describe("simulate: fingerprint summary and --out preparation", () => {
  sharedTest("default: ###STOP### kept; ref cues; mean of (7 + 3 tokens) / 2 turns", async () => {
    const { doc, users } = await run([]);
    expect(users).toEqual(["hi, i need to change my trip", "great thanks ###STOP###"]);
    expect(doc.fingerprint).toMatchObject({ cue_version: "ref-d49b1e0", preparation: "reference" });
    expect(doc.fingerprint.mean.words_per_turn).toBe(5); // hi i need to change my trip · great thanks stop
    expect(doc.fingerprint.mean.politeness_rate).toBe(0.5);
  });

  sharedTest("--strip-control --cues ppol-cues-1: token removed from the turn; (7 + 2) / 2", async () => {
    const { doc, users } = await run(["--strip-control", "--cues", "ppol-cues-1"]);
    expect(users).toEqual(["hi, i need to change my trip", "great thanks"]);
    expect(doc.fingerprint).toMatchObject({ cue_version: "ppol-cues-1", preparation: "strip-control" });
    expect(doc.fingerprint.mean.words_per_turn).toBe(4.5);
  });
});
