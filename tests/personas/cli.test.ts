import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeOpenAI, startFakeOpenAI, text } from "../support/fake-openai.ts";
import { spawnCli } from "../support/cli.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { population, WORDS_180 } from "./_scripted.ts";

// Sandbox processes boot in ~1 s alone, much longer on a loaded machine.
setDefaultTimeout(120_000);

const FIXTURE = join(import.meta.dir, "../fixtures/personas/retail_task.json");
const dir = mkdtempSync(join(tmpdir(), "ppol-personas-cli-"));
let fake: FakeOpenAI;

const ppol = (args: string[]) => spawnCli(args, { cwd: dir, env: { PPOL_CACHE: TEST_CACHE_ROOT, NO_COLOR: "1" } });

beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(3) })));
  fake.reply({ role: "generator" }, text(WORDS_180));
});
afterAll(() => fake.stop());

describe("ppol personas", () => {
  test("generates, archives and writes JSONL", async () => {
    const r = await ppol(["personas", "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--domain", "retail", "--tasks-file", FIXTURE, "--n", "3", "--out", "p.jsonl", "--db", "a.sqlite", "--llm-cache", "off"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("2/2 tasks ok · 6 personas kept, 0 dropped, 0 with warnings");
    const lines = readFileSync(join(dir, "p.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.length).toBe(6);
    expect(lines[0]).toMatchObject({ domain: "retail", task_id: "retail-demo-1", persona_id: "p1" });
    const db = new Database(join(dir, "a.sqlite"), { readonly: true });
    expect(db.query("SELECT count(*) AS c FROM personas").get()).toEqual({ c: 6 });
    expect(db.query("SELECT DISTINCT warnings_json AS w FROM personas").all()).toEqual([{ w: "[]" }]);
    const run = db.query("SELECT kind, status, config_json FROM runs WHERE kind = 'personas'").get() as { status: string; config_json: string };
    expect(run.status).toBe("done");
    expect(JSON.parse(run.config_json)).toMatchObject({ unsafe_sandbox: false, n: 3, program: "seed:ppol" });
    db.close();
  });

  sharedTest("tasks from the τ² data: ids and splits", async () => {
    const data = sharedPath("tau2", "domains");
    const r = await ppol(["personas", "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--tau2-data", data, "--domain", "retail", "--tasks", "0,1", "--n", "3", "--db", "c.sqlite", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.tasks.map((t: { task_id: string; ok: boolean }) => [t.task_id, t.ok])).toEqual([
      ["0", true],
      ["1", true],
    ]);
    const bad = await ppol(["personas", "--endpoint", fake.baseUrl, "--tau2-data", data, "--domain", "retail", "--tasks", "no-such-task"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("no-such-task");
    expect(bad.stderr).toContain("or pass a split (train, test, base)");
  });

  test("bad input: unknown task id, missing program file, missing domain → exit 2, one line", async () => {
    for (const args of [
      ["--domain", "retail", "--tasks-file", FIXTURE, "--tasks", "nope"],
      ["--domain", "retail", "--tasks-file", FIXTURE, "--program", "missing.py"],
      ["--tasks-file", FIXTURE],
      ["--domain", "retail", "--tasks-file", "missing.json"],
    ]) {
      const r = await ppol(["personas", "--endpoint", fake.baseUrl, "--model", "qwen3:8b", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n").length).toBe(1);
    }
  });

  test("a program with wrong return types fails the task with a reason (exit 1)", async () => {
    writeFileSync(join(dir, "wrong.py"), "# EVOLVE-BLOCK-START\nDIVERSITY_AXES = []\ndef generate_personas_detailed(c, axes, n):\n    return {'not': 'a list'}\n# EVOLVE-BLOCK-END\n");
    const r = await ppol(["personas", "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--domain", "retail", "--tasks-file", FIXTURE, "--tasks", "retail-demo-2", "--n", "2", "--program", "wrong.py", "--db", "b.sqlite"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("retail-demo-2: invalid_output");
    expect(r.stdout).toContain("expected a list of personas");
  });
});

describe("ppol generator check", () => {
  test("seeds pass; broken programs fail with reasons", async () => {
    expect((await ppol(["generator", "check", "seed:ppol"])).code).toBe(0);
    writeFileSync(join(dir, "broken.py"), "DIVERSITY_AXES = [{'behavior': 'x'}]\ndef generate_personas_detailed(c, axes, n:\n");
    const r = await ppol(["generator", "check", "broken.py", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors[0]).toMatchObject({ code: "syntax", line: 2 });
    expect((await ppol(["generator", "check", "absent.py"])).code).toBe(2);
  });
});
