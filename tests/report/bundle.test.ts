/**
 * `ppol bundle` end to end, in process, against the fake OpenAI server and the real τ² data: a simulate
 * run whose personas the PPol seed generates in the sandbox is bundled, replayed from the file alone
 * (no server: replay is `--llm-cache ro`) and verified; tampered bundles (made by unpacking, editing with
 * SQL and repacking) fail and name what differs; bad input is exit 2 with one line; import merges the run.
 * The compiled binary verifying a bundle in an empty folder is in tests/binary.test.ts.
 */
import { afterAll, beforeAll, describe, expect } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLlm, type Llm } from "../../src/llm/index.ts";
import { type SimRunDeps, startRun } from "../../src/sim/index.ts";
import { BundleManifest, createRun, getRun, inputState, listEpisodes, openBundle, openStore, packBundle, writeManifest } from "../../src/store/index.ts";
import { loadDomainDir } from "../../src/tau2/index.ts";
import { runCli } from "../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI, text, toolCall } from "../support/fake-openai/index.ts";
import { HAS_SHARED, sharedPath, sharedTest } from "../support/shared.ts";

let fake: FakeOpenAI;
let dir: string;
/** The bundle of a `simulate --program seed:ppol` run and its run id. */
let bundle: string;
let runId: string;
let personasRunId: string;

const cli = (args: string[]) => runCli(args, { cwd: dir });
const oneLine = (err: string) => err.trim().split("\n");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ppol-bundle-"));
  fake = await startFakeOpenAI();
  const { population, WORDS_180 } = await import("../personas/_scripted.ts");
  fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(2) })));
  fake.reply({ role: "generator" }, text(WORDS_180));
  // The agent looks a reservation up, then answers; the user talks for a few turns, each turn its own text.
  fake.reply({ role: "agent" }, (req) => (req.body.messages.at(-1)?.role === "tool" ? text("Your reservation is confirmed. Anything else?") : toolCall("get_reservation_details", { reservation_id: "4WQ150" })));
  fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 6 ? "thanks ###STOP###" : `question ${req.body.messages.length} about my trip`));
  if (!HAS_SHARED) return;
  const sim = await cli(["simulate", "--json", "--concurrency", "2", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", "a.sqlite", "--domain", "airline", "--tasks", "11,12", "--program", "seed:ppol", "--n", "2", "--no-judge"]);
  if (sim.code !== 0) throw new Error(`simulate failed: ${sim.err}`);
  runId = JSON.parse(sim.out).run_id;
  const archive = openStore(join(dir, "a.sqlite"));
  personasRunId = JSON.parse(getRun(archive, runId)!.config_json).plan.personas;
  archive.close();
  const created = await cli(["bundle", "create", runId, "--out", "run.ppol", "--db", "a.sqlite", "--tau2-data", sharedPath("tau2/domains")]);
  if (created.code !== 0) throw new Error(`bundle create failed: ${created.err}`);
  bundle = join(dir, "run.ppol");
}, 120_000);
afterAll(() => fake.stop());

/** A copy of the bundle edited with SQL (and, when asked, its manifest made to agree with the edited inputs). */
function tampered(name: string, sql: string, opts: { fixManifest?: boolean } = {}): string {
  const opened = openBundle(bundle);
  try {
    expect(opened.store.db.run(sql).changes).toBeGreaterThan(0);
    if (opts.fixManifest) {
      const state = inputState(opened.store);
      writeManifest(opened.store, BundleManifest.parse({ ...opened.manifest, inputs: { ...opened.manifest.inputs, llm: state.llm } }));
    }
    const path = join(dir, name);
    writeFileSync(path, packBundle(opened.store));
    return path;
  } finally {
    opened.close();
  }
}

describe("bundle create → verify", () => {
  sharedTest("a simulate run with generated personas verifies from the bundle alone", async () => {
    const info = await cli(["bundle", "info", "run.ppol", "--json"]);
    expect(info.code).toBe(0);
    const { manifest } = JSON.parse(info.out);
    expect(manifest.run).toBe(runId);
    expect(manifest.runs.map((r: { id: string }) => r.id)).toEqual([personasRunId, runId]);
    expect(manifest.counts).toMatchObject({ runs: 2, episodes: 4, persona_tasks: 2, personas: 4, persona_programs: 1 });
    expect(manifest.inputs.tau2).toHaveLength(1);
    expect(Object.keys(manifest.inputs.tau2[0].files).sort()).toEqual(["db.json", "policy.md", "split_tasks.json", "tasks.json", "tool_schemas.json", "user_simulator/simulation_guidelines.md"]);
    expect(Object.keys(manifest.outputs[runId].items)).toHaveLength(4);

    const text = await cli(["bundle", "info", "run.ppol"]);
    expect(text.code).toBe(0);
    expect(text.lines[0]).toMatch(/^bundle run\.ppol — format v1, [\d.]+ KB \(archive [\d.]+ MB\), created /);
    expect(text.out).toContain(`  run ${runId} (simulate, done, seed 42, `);
    expect(text.out).toContain(`  dependency ${personasRunId} (personas, done, seed 42, `);

    const served = fake.requests.length;
    const r = await cli(["bundle", "verify", "run.ppol"]);
    expect(r.err).not.toContain("ppol:");
    expect(r.out).toStartWith(`verified: run ${runId}`);
    expect(r.code).toBe(0);
    expect(fake.requests.length).toBe(served); // nothing asked of the server
  }, 120_000);
});

describe("tampering is caught and named", () => {
  sharedTest("one changed byte in a stored LLM answer", async () => {
    const sql = "UPDATE llm_calls SET response_json = replace(response_json, 'confirmed', 'confirmeD') WHERE id = (SELECT min(id) FROM llm_calls WHERE role = 'agent' AND response_json LIKE '%confirmed%')";
    const r = await cli(["bundle", "verify", tampered("answer.ppol", sql)]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`NOT verified: LLM answers of run ${runId}, role agent: differs from the manifest (${r.out.match(/\(manifest .*\)$/)![0].slice(1, -1)})`);

    // With the manifest's answer digests made to agree, the replay itself shows which episode changed: the
    // changed answer changes the next request, which no recorded answer matches, so the episode ends early.
    const hidden = await cli(["bundle", "verify", tampered("answer-hidden.ppol", sql, { fixManifest: true })]);
    expect(hidden.code).toBe(1);
    expect(hidden.out).toMatch(new RegExp(`^NOT verified: episode ${runId}:1[12]:p[12]:0: termination differs between the replay and the manifest \\(replay "infrastructure_error", original "user_stop"\\)$`));
  }, 120_000);

  sharedTest("a removed episode", async () => {
    const victim = `${runId}:12:p2:0`;
    const r = await cli(["bundle", "verify", tampered("episode.ppol", `DELETE FROM episodes WHERE id = '${victim}'`)]);
    expect(r.code).toBe(1);
    expect(r.out).toBe(`NOT verified: episode ${victim}: missing from the bundle`);
  }, 120_000);

  sharedTest("a changed τ² file", async () => {
    const r = await cli(["bundle", "verify", tampered("tau2.ppol", "UPDATE tau2_files SET content = content || ' ' WHERE file = 'policy.md'")]);
    expect(r.code).toBe(1);
    expect(r.out).toStartWith("NOT verified: τ² file airline/policy.md (data ");
    expect(r.out).toContain("differs from the manifest");
  }, 120_000);
});

describe("bad input", () => {
  sharedTest("not a bundle, a truncated bundle, a newer format, an unknown or running run: exit 2, one line", async () => {
    writeFileSync(join(dir, "notes.ppol"), "these are my notes, not a bundle\n");
    const bytes = readFileSync(bundle);
    writeFileSync(join(dir, "half.ppol"), bytes.subarray(0, bytes.length >> 1));
    const newer = Uint8Array.from(bytes);
    new DataView(newer.buffer).setUint16(8, 99, true);
    writeFileSync(join(dir, "newer.ppol"), newer);
    const cases: [string[], RegExp][] = [
      [["bundle", "verify", "notes.ppol"], /^ppol: notes\.ppol: not a ppol bundle — /],
      [["bundle", "info", "half.ppol"], /^ppol: half\.ppol: truncated bundle \(\d+ of \d+ payload bytes\) — /],
      [["bundle", "verify", "newer.ppol"], /^ppol: newer\.ppol: bundle format v99 was written by a newer ppol \(this one reads up to v1\) — upgrade ppol$/],
      [["bundle", "import", "missing.ppol", "--db", "b.sqlite"], /^ppol: missing\.ppol: cannot read \(ENOENT\) — /],
      [["bundle", "create", "sim-nope", "--out", "x.ppol", "--db", "a.sqlite"], /^ppol: no run "sim-nope" in .*a\.sqlite — list the runs with `ppol runs`$/],
      [["bundle", "create", runId, "--db", "a.sqlite"], /^ppol: bundle create: --out FILE\.ppol is required — /],
    ];
    for (const [args, expected] of cases) {
      const r = await cli(args);
      expect(`${args.join(" ")} → ${r.code}`).toBe(`${args.join(" ")} → 2`);
      expect(oneLine(r.err)).toHaveLength(1);
      expect(r.err).toMatch(expected);
    }

    const store = openStore(join(dir, "a.sqlite"));
    createRun(store, { id: "sim-still-running", kind: "simulate", config: {}, version: "test", now: new Date() });
    store.close();
    const running = await cli(["bundle", "create", "sim-still-running", "--out", "x.ppol", "--db", "a.sqlite"]);
    expect(running.code).toBe(2);
    expect(running.err).toMatch(/^ppol: run sim-still-running is still running — /);
  }, 120_000);
});

describe("runs as they are: a personas run alone, an interrupted run, episodes a dead server ended", () => {
  sharedTest("a personas run made inside a simulate run is bundled alone with the generator calls recorded under that run", async () => {
    const created = await cli(["bundle", "create", personasRunId, "--out", "personas.ppol", "--db", "a.sqlite", "--json"]);
    expect(created.err).toBe("");
    expect(JSON.parse(created.out)).toMatchObject({ run: personasRunId, runs: [personasRunId], counts: { runs: 1, episodes: 0, persona_tasks: 2, personas: 4, llm_calls: 6, tau2_files: 0 } });
    const r = await cli(["bundle", "verify", "personas.ppol"]);
    expect(r.out).toStartWith(`verified: run ${personasRunId} (personas, done) — 6 outputs match the manifest, 2 units replayed`);
    expect(r.code).toBe(0);
  }, 120_000);

  sharedTest("a run of `ppol personas` (no LLM settings stored: the replay uses the defaults)", async () => {
    const made = await cli(["personas", "--json", "--db", "d.sqlite", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--domain", "airline", "--tasks", "11,12", "--n", "2"]);
    expect(made.code).toBe(0);
    const id = JSON.parse(made.out).run_id;
    expect((await cli(["bundle", "create", id, "--out", "own-personas.ppol", "--db", "d.sqlite"])).code).toBe(0);
    const r = await cli(["bundle", "verify", "own-personas.ppol"]);
    expect(r.out).toStartWith(`verified: run ${id} (personas, done) — 6 outputs match the manifest, 2 units replayed`);
    expect(r.code).toBe(0);
  }, 120_000);

  sharedTest("an interrupted run and an episode ended by the server: what was not replayed is checked against the manifest", async () => {
    const store = openStore(join(dir, "c.sqlite"));
    const config = fake.config();
    const domain = loadDomainDir(sharedPath("tau2/domains"), "airline");
    const abort = new AbortController();
    let seen = 0;
    const clients: Llm[] = [];
    const deps: SimRunDeps = { store, config, llm: (id, c) => (clients.push(createLlm({ config: c, store, runId: id })), clients.at(-1)!), domain: () => domain, cwd: dir, version: "test", concurrency: 1 };
    const input = { domain, taskIds: ["11", "12", "13"], personas: "suite:impatient", trials: 1, maxSteps: 30, judge: false, fidelityJudge: false, strictToolJson: false, toolSchemas: undefined };
    const interrupted = await startRun({ ...deps, signal: abort.signal, onEpisode: () => void (++seen === 2 && abort.abort()) }, input);
    expect([interrupted.status, interrupted.ran]).toEqual(["interrupted", 2]);

    // Every attempt of task 12's first user call fails: that episode ends in an infrastructure error.
    fake.fault({ kind: "server_error" }, { match: { role: "user", system: /business class changes, up to \$650/ }, times: config.llm.max_attempts });
    const base = await startRun(deps, { ...input, personas: null });
    await Promise.all(clients.map((c) => c.close()));
    store.close();
    const outcomes = listEpisodes(openStore(join(dir, "c.sqlite")), base.runId).map((e) => `${e.task_id}:${e.termination}`);
    expect(outcomes).toEqual(["11:user_stop", "12:infrastructure_error", "13:user_stop"]);

    for (const [run, file, items, replayed] of [[interrupted.runId, "interrupted.ppol", 2, 2], [base.runId, "base.ppol", 3, 2]] as const) {
      const created = await cli(["bundle", "create", run, "--out", file, "--db", "c.sqlite", "--tau2-data", sharedPath("tau2/domains"), "--json"]);
      expect(created.code).toBe(0);
      expect(created.err).toBe("");
      // The base run's agent asked what the interrupted run's agent had asked: it took those answers from the cache.
      if (run === base.runId) expect(JSON.parse(created.out).counts.llm_cache_hits).toBeGreaterThan(0);
      const r = await cli(["bundle", "verify", file]);
      expect(r.out).toStartWith(`verified: run ${run} (simulate, ${run === base.runId ? "done" : "interrupted"}) — ${items} outputs match the manifest, ${replayed} units replayed`);
      expect(r.code).toBe(0);
    }

    // An archive from before cache hits were recorded cannot say which answers the base run reused: create
    // warns, and verify names the first episode the missing answers break.
    const archive = openStore(join(dir, "c.sqlite"));
    archive.db.run("DELETE FROM llm_cache_hits");
    archive.close();
    const old = await cli(["bundle", "create", base.runId, "--out", "old.ppol", "--db", "c.sqlite", "--tau2-data", sharedPath("tau2/domains")]);
    expect(old.code).toBe(0);
    // Episodes 11 and 13 made 10 user/agent calls each (the scripted user stops after its fourth turn); 12 made none.
    const warned = new RegExp(`^ppol: warning: run ${base.runId}: its episodes made 20 user/agent calls, but the archive knows only (\\d+) requests it used`).exec(old.err);
    expect(oneLine(old.err)).toHaveLength(1);
    expect(Number(warned?.[1])).toBeLessThan(20);
    const broken = await cli(["bundle", "verify", "old.ppol"]);
    expect(broken.code).toBe(1);
    expect(broken.out).toBe(`NOT verified: episode ${base.runId}:11:base:0: termination differs between the replay and the manifest (replay "infrastructure_error", original "user_stop")`);
  }, 120_000);
});

describe("bundle import", () => {
  sharedTest("merges the runs into another archive once; the same id with other content is refused", async () => {
    const first = await cli(["bundle", "import", "run.ppol", "--db", "b.sqlite", "--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ run: runId, imported: [personasRunId, runId], present: [] });
    // As in the archive it came from: the personas run is the simulate run's sub-run.
    const ids = async (...flags: string[]) => JSON.parse((await cli(["runs", "--db", "b.sqlite", "--json", ...flags])).out).map((r: { id: string }) => r.id).sort();
    expect(await ids()).toEqual([runId]);
    expect(await ids("--all")).toEqual([personasRunId, runId].sort());
    const b = openStore(join(dir, "b.sqlite"));
    const a = openStore(join(dir, "a.sqlite"));
    const rows = (s: typeof a, sql: string) => s.db.query(sql).all(runId);
    for (const sql of ["SELECT * FROM episodes WHERE run_id = ? ORDER BY id", "SELECT request_hash, role, status, response_json FROM llm_calls WHERE run_id = ? ORDER BY id"]) expect(rows(b, sql)).toEqual(rows(a, sql));
    const counts = () => b.db.query("SELECT (SELECT count(*) FROM llm_calls) AS calls, (SELECT count(*) FROM llm_requests) AS requests, (SELECT count(*) FROM llm_blobs) AS blobs, (SELECT count(*) FROM tau2_files) AS files").get();
    const before = counts();
    b.close();
    a.close();

    const again = await cli(["bundle", "import", "run.ppol", "--db", "b.sqlite", "--json"]);
    expect(JSON.parse(again.out)).toMatchObject({ imported: [], present: [personasRunId, runId] });
    const b2 = openStore(join(dir, "b.sqlite"));
    expect(b2.db.query("SELECT (SELECT count(*) FROM llm_calls) AS calls, (SELECT count(*) FROM llm_requests) AS requests, (SELECT count(*) FROM llm_blobs) AS blobs, (SELECT count(*) FROM tau2_files) AS files").get()).toEqual(before);
    b2.db.run(`UPDATE episodes SET reward = 0.5 WHERE run_id = '${runId}' AND task_id = '12'`);
    b2.close();
    const conflict = await cli(["bundle", "import", "run.ppol", "--db", "b.sqlite"]);
    expect(conflict.code).toBe(2);
    expect(oneLine(conflict.err)).toEqual([`ppol: run ${runId} is already in ${join(dir, "b.sqlite")} with different content — import the bundle into another archive (--db), or compare the two with \`ppol run show\``]);
  }, 120_000);
});
