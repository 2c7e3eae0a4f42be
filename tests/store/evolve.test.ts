/** Migration 010 and the evolve queries: keys, cascades, atomic generation commits. */
import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  commitEvolveGeneration, createEvolveRun, type EvolveProgramRow, getEvolveRun, insertEvolveProgram, listEvolveGenerations, listEvolvePrograms, listRunEvents, openStore, recordEvolveEvaluation, recordEvolveValidation, setEvolveRunStatus,
} from "../../src/store/index.ts";

const tmp = () => openStore(join(mkdtempSync(join(tmpdir(), "ppol-store-evolve-")), "a.sqlite"));

const row = (id: string, o: Partial<EvolveProgramRow> = {}): EvolveProgramRow => ({
  run_id: "r", id, kind: "child", generation: 1, slot: 0, attempt: 0, island: 0, parent_id: null, source_id: null, code: "x", code_sha: "s", diff: "", angle: null,
  mutator_model: null, mutator_target: null, request_hashes_json: "[]", tokens: 0, status: "proposed", reason: null, error: null, metrics_json: null,
  descriptors_json: null, objectives_json: null, artifacts_json: "{}", validation_json: null, created_at: "t", evaluated_at: null, ...o,
});

test("migration 010 creates the evolve tables and their indexes", () => {
  const store = tmp();
  expect(store.db.query("SELECT name FROM schema_migrations WHERE version = 10").get()).toEqual({ name: "evolve" });
  const names = (store.db.query("SELECT name FROM sqlite_master WHERE name LIKE 'evolve%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  expect(names).toEqual(expect.arrayContaining(["evolve_generations", "evolve_programs", "evolve_programs_parent", "evolve_programs_status", "evolve_runs"]));
  const plan = store.db.query("EXPLAIN QUERY PLAN UPDATE evolve_programs SET status = 'failed' WHERE run_id = 'r' AND id = 'x'").all() as { detail: string }[];
  expect(plan.map((p) => p.detail).join(" ")).toContain("USING INDEX");
  store.close();
});

test("rows round-trip in replay order; parents must exist; one row per (generation, kind, slot, attempt)", () => {
  const store = tmp();
  createEvolveRun(store, { id: "r", config: { a: 1 }, options: { islands: 2 }, problemSha: "p", seed: 1, version: "t", now: new Date(0) });
  insertEvolveProgram(store, row("g0-seed", { kind: "seed", generation: 0 }));
  insertEvolveProgram(store, row("g1-s1-a0", { slot: 1, parent_id: "g0-seed" }));
  insertEvolveProgram(store, row("g1-s0-a1", { attempt: 1, parent_id: "g0-seed" }));
  insertEvolveProgram(store, row("g1-s0-a0", { parent_id: "g0-seed", status: "rejected", reason: "similar" }));
  commitEvolveGeneration(store, { run_id: "r", generation: 1, evaluations: 2, since_best: 1, best_id: "g0-seed", committed_at: "t" }, [row("g1-m0", { kind: "migrant", source_id: "g0-seed", island: 1 })]);
  recordEvolveEvaluation(store, "r", "g1-s0-a1", { status: "evaluated", reason: null, error: null, metrics_json: '{"score":1}', descriptors_json: "[0,1]", objectives_json: "[]", artifacts_json: '{"r":"x"}', evaluated_at: "u" });
  recordEvolveValidation(store, "r", "g1-s0-a1", '{"status":"evaluated","metrics":{"score":0.5},"artifacts":{}}');
  expect(listEvolvePrograms(store, "r").map((p) => p.id)).toEqual(["g0-seed", "g1-s0-a0", "g1-s0-a1", "g1-s1-a0", "g1-m0"]);
  expect(listEvolvePrograms(store, "r")[2]).toMatchObject({ status: "evaluated", metrics_json: '{"score":1}', evaluated_at: "u", validation_json: expect.stringContaining("0.5") });
  expect(() => insertEvolveProgram(store, row("g2-s0-a0", { generation: 2, parent_id: "missing" }))).toThrow(/FOREIGN KEY/);
  expect(() => insertEvolveProgram(store, row("other", { parent_id: "g0-seed" }))).toThrow(/UNIQUE/);
  expect(listEvolveGenerations(store, "r")).toEqual([{ run_id: "r", generation: 1, evaluations: 2, since_best: 1, best_id: "g0-seed", committed_at: "t" }]);
  setEvolveRunStatus(store, "r", { status: "done", stop_reason: "iterations", final_id: "g1-s0-a1", now: new Date(1) });
  expect(listRunEvents(store, "r").map((e) => [e.status, e.note])).toEqual([["running", null], ["done", "iterations"]]);
  expect(getEvolveRun(store, "r")).toMatchObject({ run: { kind: "evolve", status: "done" }, stop_reason: "iterations", final_id: "g1-s0-a1", options_json: '{"islands":2}', problem_sha: "p" });
  store.db.query("DELETE FROM runs WHERE id = 'r'").run();
  expect(store.db.query("SELECT (SELECT count(*) FROM evolve_programs) + (SELECT count(*) FROM evolve_generations) + (SELECT count(*) FROM evolve_runs) AS n").get()).toEqual({ n: 0 });
  store.close();
});

test("a generation commit is all or nothing", () => {
  const store = tmp();
  createEvolveRun(store, { id: "r", config: {}, options: {}, problemSha: "p", seed: 1, version: "t", now: new Date(0) });
  insertEvolveProgram(store, row("g0-seed", { kind: "seed", generation: 0 }));
  const bad = [row("g2-m0", { kind: "migrant", generation: 2, source_id: "g0-seed" }), row("g2-m1", { kind: "migrant", generation: 2, source_id: "nowhere", slot: 1 })];
  expect(() => commitEvolveGeneration(store, { run_id: "r", generation: 2, evaluations: 1, since_best: 0, best_id: null, committed_at: "t" }, bad)).toThrow();
  expect(listEvolveGenerations(store, "r")).toEqual([]);
  expect(listEvolvePrograms(store, "r").map((p) => p.id)).toEqual(["g0-seed"]);
  store.close();
});
