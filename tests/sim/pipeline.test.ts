/**
 * The PPol data flow end to end, all from the archive: task → persona → episode → fingerprint → score.
 * A base-simulator run (long, polite users) trains the discriminator against terse "humans"; a persona
 * run whose users talk tersely must then look more human than the base run.
 */
import { afterAll, beforeAll, expect } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toJsonl } from "../../src/conversations/index.ts";
import { type Conversation } from "../../src/model/index.ts";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { scriptTerseAndPoliteUsers } from "../support/scripted-users.ts";
import { runCli } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "ppol-pipeline-"));
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  scriptTerseAndPoliteUsers(fake, "Hello! I would like to change my upcoming reservation, please. Thank you very much for your assistance; I really appreciate it.");
  const terse = ["need refund", "order W123", "yes", "no", "ugh fine", "why so slow", "ok", "cancel it", "wrong one", "idk maybe"];
  const humans: Conversation[] = Array.from({ length: 24 }, (_, i) => ({
    id: `h${i}`, source: "human", domain: "airline", task_id: String(i % 6),
    messages: Array.from({ length: 3 + (i % 3) }, (_, j) => [{ role: "assistant" as const, content: "How can I help?" }, { role: "user" as const, content: terse[(i * 3 + j) % terse.length]! }]).flat(),
    meta: {},
  }));
  writeFileSync(join(dir, "humans.jsonl"), toJsonl(humans));
  writeFileSync(join(dir, "personas.jsonl"), '{"persona_id": "terse", "expanded_instruction": "You write two or three words at a time, in lower case."}\n');
});
afterAll(() => fake.stop());

async function ppol(...argv: string[]) {
  const { code, out, err } = await runCli([...argv, "--db", join(dir, "a.sqlite"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--tau2-data", sharedPath("tau2/domains")], { cwd: dir });
  if (code !== 0) throw new Error(`ppol ${argv.join(" ")} → ${code}: ${err}`);
  return JSON.parse(out);
}

sharedTest("simulate base and persona runs, train on the base run, score both from the archive", async () => {
  const tasks = ["--domain", "airline", "--tasks", "0,1,2,3,4,5", "--trials", "2", "--no-judge", "--json"];
  const base = await ppol("simulate", ...tasks);
  const persona = await ppol("simulate", ...tasks, "--personas", "personas.jsonl");
  expect(base.summary.episodes).toBe(12);
  expect(persona.summary.episodes).toBe(12);

  await ppol("human", "import", "humans.jsonl", "--format", "jsonl", "--name", "people", "--split", "hash", "--json");
  const disc = await ppol("discriminator", "train", "--human", "people", "--simulator", base.run_id, "--trees", "50", "--json");
  expect(disc.cv_auc).toBeGreaterThan(0.8);

  const baseScore = await ppol("score", "--episodes", base.run_id, "--human", "people", "--discriminator", disc.id, "--json");
  const personaScore = await ppol("score", "--episodes", persona.run_id, "--human", "people", "--discriminator", disc.id, "--json");
  expect(baseScore.episodes).toHaveLength(12);
  expect(personaScore.hl).toBeGreaterThan(baseScore.hl);
  expect(personaScore.score).toBeGreaterThan(baseScore.score);
  expect(personaScore.episodes[0].id).toStartWith(persona.run_id);
});
