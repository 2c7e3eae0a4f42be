/** `ppol export tau2-tasks|personas|conversations|program`, the OOD suites, and bad input (exit 2, one line). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { getSuite, SUITES } from "../../src/personas/index.ts";
import { sha256 } from "../../src/hash.ts";
import { listEpisodes, openStore } from "../../src/store/index.ts";
import { loadDomainDir, Task } from "../../src/tau2/index.ts";
import { addEpisodes, addPersonasRun, addRun, episodeRecord } from "../support/archive.ts";
import { runCli } from "../support/cli.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { startFakeOpenAI, text, type FakeOpenAI } from "../support/fake-openai/index.ts";

const TAU2 = join(import.meta.dir, "../fixtures/tau2");
const original = JSON.parse(readFileSync(join(TAU2, "airline/tasks.json"), "utf8")) as Record<string, any>[];
const cwd = mkdtempSync(join(tmpdir(), "ppol-export-"));
const db = join(cwd, "a.sqlite");
const ppol = (...argv: string[]) => runCli([...argv, "--db", db], { cwd });
const PROGRAM = "def generate_personas_detailed(c, axes, n):\n    return []\n";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  const store = openStore(db);
  addPersonasRun(store, "pers-1", { code: PROGRAM, sha256: sha256(PROGRAM) }, {
    "0": [{ persona_id: "terse", description: "A terse persona for task zero.", expanded_instruction: "Write very short messages." }, { persona_id: "chatty", description: "A chatty persona for task zero.", expanded_instruction: "Ramble, with commas, and \"quotes\"." }],
  });
  addRun(store, "sim-1", "simulate");
  addEpisodes(store, [episodeRecord({ run_id: "sim-1", task_id: "0" }), episodeRecord({ run_id: "sim-1", task_id: "1", reward: 0 })]);
  store.close();
});
afterAll(() => fake.stop());

describe("export tau2-tasks", () => {
  test("every task × persona, persona in user_scenario.persona, ids -p<k>, every other field kept; valid for ppol's loader", async () => {
    const r = await ppol("export", "tau2-tasks", "--domain", "airline", "--tau2-data", TAU2, "--tasks", "0,1", "--personas", "suite:impatient", "--out", "t2");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote 6 persona tasks (2 airline tasks × their personas) to ${join(cwd, "t2/airline")}/ (tasks.json, split_tasks.json, db.json, policy.md)`);
    const tasks = JSON.parse(readFileSync(join(cwd, "t2/airline/tasks.json"), "utf8")) as Record<string, any>[];
    expect(z.array(Task).safeParse(tasks).success).toBe(true);
    expect(tasks.map((t) => t.id)).toEqual(["0-p0", "0-p1", "0-p2", "1-p0", "1-p1", "1-p2"]);
    const suite = getSuite("impatient").personas;
    tasks.forEach((t, i) => {
      const from = original.find((o) => o.id === t.id.split("-p")[0])!;
      expect(t.user_scenario.persona).toBe(suite[i % 3]!.expanded_instruction);
      expect({ ...t, id: from.id, user_scenario: { ...t.user_scenario, persona: from.user_scenario.persona } } as Record<string, unknown>).toEqual(from);
    });
    expect(JSON.parse(readFileSync(join(cwd, "t2/airline/split_tasks.json"), "utf8"))).toEqual({ train: ["0-p0", "0-p1", "0-p2"], test: ["1-p0", "1-p1", "1-p2"], base: ["0-p0", "0-p1", "0-p2", "1-p0", "1-p1", "1-p2"] });
    expect(readFileSync(join(cwd, "t2/airline/db.json"), "utf8")).toBe(readFileSync(join(TAU2, "airline/db.json"), "utf8"));
    expect(loadDomainDir(join(cwd, "t2"), "airline").tasks).toHaveLength(6);
  });

  test("`ppol simulate --tau2-data` over the exported folder runs the persona users", async () => {
    fake.reset();
    fake.reply({ role: "user" }, text("quick, cancel it ###STOP###"));
    const r = await ppol("simulate", "--tau2-data", join(cwd, "t2"), "--domain", "airline", "--tasks", "0-p1", "--no-judge", "--max-steps", "10", "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--json");
    expect(r.code).toBe(0);
    const userCalls = fake.requests.filter((q) => q.role === "user");
    expect(userCalls.length).toBeGreaterThan(0);
    const persona = getSuite("impatient").personas[1]!.expanded_instruction;
    expect(userCalls[0]!.system).toContain(`Persona:\n\t${persona}`);
    const store = openStore(db);
    expect(listEpisodes(store, JSON.parse(r.out).run_id).map((e) => e.task_id)).toEqual(["0-p1"]);
    store.close();
  });

  sharedTest("upstream retail test split × a suite: every original field kept, loadable as a τ² domain", async () => {
    const r = await ppol("export", "tau2-tasks", "--domain", "retail", "--tau2-data", sharedPath("tau2/domains"), "--split", "test", "--personas", "suite:confused", "--out", "t-up");
    expect(r.code).toBe(0);
    const upstream = JSON.parse(readFileSync(sharedPath("tau2/domains/retail/tasks.json"), "utf8")) as Record<string, any>[];
    const tasks = JSON.parse(readFileSync(join(cwd, "t-up/retail/tasks.json"), "utf8")) as Record<string, any>[];
    const testIds = JSON.parse(readFileSync(sharedPath("tau2/domains/retail/split_tasks.json"), "utf8")).test as string[];
    expect(tasks).toHaveLength(testIds.length * 3);
    for (const t of tasks) {
      const from = upstream.find((o) => o.id === t.id.replace(/-p\d+$/, ""))!;
      expect(Object.keys(t)).toEqual(Object.keys(from));
      expect({ ...t, id: from.id, user_scenario: { ...t.user_scenario, persona: from.user_scenario.persona } } as Record<string, unknown>).toEqual(from);
    }
    expect(loadDomainDir(join(cwd, "t-up"), "retail").splits.test).toHaveLength(testIds.length * 3);
  }, 60_000);

  test("personas from a personas run: only the tasks it covers, the rest named on stderr", async () => {
    const r = await ppol("export", "tau2-tasks", "--domain", "airline", "--tau2-data", TAU2, "--tasks", "0,1", "--personas", "pers-1", "--out", "t3");
    expect(r.code).toBe(0);
    expect(r.err).toBe("ppol: warning: 1 task(s) without personas left out: 1");
    const tasks = JSON.parse(readFileSync(join(cwd, "t3/airline/tasks.json"), "utf8")) as Record<string, any>[];
    expect(tasks.map((t) => [t.id, t.user_scenario.persona])).toEqual([["0-p0", "Write very short messages."], ["0-p1", 'Ramble, with commas, and "quotes".']]);
  });
});

describe("export personas, conversations, program", () => {
  test("personas as JSONL and as CSV", async () => {
    const j = await ppol("export", "personas", "pers-1", "--out", "p.jsonl");
    expect(j.out).toBe("wrote 2 personas of run pers-1 to p.jsonl (jsonl)");
    const lines = readFileSync(join(cwd, "p.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[1]).toEqual({ run_id: "pers-1", task_id: "0", idx: 1, persona_id: "chatty", description: "A chatty persona for task zero.", axis_placement: { terse: true }, reasoning: "r", expanded_instruction: 'Ramble, with commas, and "quotes".' });
    expect((await ppol("export", "personas", "pers-1", "--out", "p.csv")).code).toBe(0);
    expect(readFileSync(join(cwd, "p.csv"), "utf8")).toBe(
      "run_id,task_id,idx,persona_id,description,axis_placement,reasoning,expanded_instruction\n" +
        'pers-1,0,0,terse,A terse persona for task zero.,"{""terse"":true}",r,Write very short messages.\n' +
        'pers-1,0,1,chatty,A chatty persona for task zero.,"{""terse"":true}",r,"Ramble, with commas, and ""quotes""."\n',
    );
  });

  test("a run's episodes as interchange JSONL", async () => {
    const r = await ppol("export", "conversations", "sim-1", "--out", "c.jsonl");
    expect(r.out).toBe("wrote 2 conversations from run:sim-1 to c.jsonl");
    const lines = readFileSync(join(cwd, "c.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((c) => [c.task_id, c.meta.reward])).toEqual([["0", 1], ["1", 0]]);
  });

  test("a program by sha256 prefix, by its personas run, or a seed", async () => {
    const prefix = sha256(PROGRAM).slice(0, 10);
    expect((await ppol("export", "program", prefix, "--out", "a.py")).code).toBe(0);
    expect(readFileSync(join(cwd, "a.py"), "utf8")).toBe(PROGRAM);
    expect((await ppol("export", "program", "pers-1", "--out", "b.py")).code).toBe(0);
    expect(readFileSync(join(cwd, "b.py"), "utf8")).toBe(PROGRAM);
    const seed = await ppol("export", "program", "seed:ppol", "--out", "s.py");
    expect(seed.out).toMatch(/^wrote program seed:ppol \(\d+ lines\) to s\.py$/);
  });
});

describe("OOD persona suites", () => {
  test("four shipped suites, several valid personas each, listed by `ppol personas --suites`", async () => {
    expect([...SUITES.keys()].sort()).toEqual(["confused", "impatient", "incoherent", "skeptical"]);
    for (const s of SUITES.values()) expect(s.personas.length).toBeGreaterThanOrEqual(3);
    const r = await ppol("personas", "--suites");
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => l.startsWith("suite:")).map((l) => l.split(" ")[0])).toEqual(["suite:skeptical", "suite:incoherent", "suite:impatient", "suite:confused"]);
  });

  test("simulate --personas suite:NAME runs the suite's personas as persona blocks", async () => {
    fake.reset();
    fake.reply({ role: "user" }, text("ok ###STOP###"));
    const r = await ppol("simulate", "--tau2-data", TAU2, "--domain", "airline", "--tasks", "0", "--personas", "suite:skeptical", "--no-judge", "--max-steps", "6", "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--json");
    expect(r.code).toBe(0);
    const store = openStore(db);
    const eps = listEpisodes(store, JSON.parse(r.out).run_id);
    store.close();
    expect(eps.map((e) => e.persona_key)).toEqual(getSuite("skeptical").personas.map((p) => p.persona_id));
    expect(fake.requests.filter((q) => q.role === "user").some((q) => q.system.includes(getSuite("skeptical").personas[2]!.expanded_instruction))).toBe(true);
  });
});

describe("bad input: exit 2, one line", () => {
  const cases: [string, string[], string][] = [
    ["unknown export kind", ["export", "tau2-task"], 'unknown command "export tau2-task" (did you mean "export tau2-tasks"?)'],
    ["missing output folder's parent", ["export", "tau2-tasks", "--domain", "airline", "--tau2-data", TAU2, "--tasks", "0", "--personas", "suite:confused", "--out", "no/such/out"], "parent folder"],
    ["missing output file folder", ["export", "conversations", "sim-1", "--out", "no/such/c.jsonl"], "does not exist"],
    ["unknown suite", ["export", "tau2-tasks", "--domain", "airline", "--tau2-data", TAU2, "--tasks", "0", "--personas", "suite:skeptic", "--out", "t9"], 'unknown persona suite "skeptic" (did you mean "skeptical"?)'],
    ["not a personas run", ["export", "personas", "sim-1", "--out", "x.jsonl"], 'no personas run "sim-1"'],
    ["unknown program", ["export", "program", "deadbeef00", "--out", "x.py"], "no stored program"],
  ];
  for (const [name, argv, says] of cases)
    test(name, async () => {
      const r = await ppol(...argv);
      expect(r.code).toBe(2);
      expect(r.err.split("\n")).toHaveLength(1);
      expect(r.err).toContain(says);
    });
});
