import { describe, expect } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Format, readConversations } from "../../src/conversations/index.ts";
import { userTurns } from "../../src/model/index.ts";
import { FEATURE_NAMES, fingerprint } from "../../src/fitness/index.ts";
import { runCli } from "../support/cli.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

/**
 * ../shared/oracles/reference-fingerprints.jsonl: the 19 features the PPol reference computes for every
 * conversation of the shared τ-bench simulator file and the τ-USI fixture (computed outside this project).
 * ppol's default import and default cue set must reproduce every value to 1e-9.
 */
interface OracleLine {
  file: string;
  id: string;
  features: Record<string, number>;
}
const FORMAT: Record<string, Format> = { "corpora/tau-bench-sim/gpt-4o-airline.json": "tau-bench", "fixtures/tau-usi-example.json": "tau-usi" };
const oracle = (): OracleLine[] => readFileSync(sharedPath("oracles/reference-fingerprints.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));

function expectOracle(lines: OracleLine[], ours: Map<string, Record<string, number>>) {
  for (const line of lines) {
    const got = ours.get(`${line.file}|${line.id}`);
    expect(got, `${line.file} ${line.id}`).toBeDefined();
    expect(Object.keys(line.features).sort()).toEqual([...FEATURE_NAMES].sort());
    for (const [k, v] of Object.entries(line.features)) expect(Math.abs(got![k]! - v), `${line.id} ${k}: ours ${got![k]} reference ${v}`).toBeLessThanOrEqual(1e-9);
  }
}

describe("reference oracle", () => {
  sharedTest("default import + fingerprint equal the reference on every oracle conversation (|Δ| ≤ 1e-9)", () => {
    const lines = oracle();
    expect(lines).toHaveLength(162);
    const ours = new Map<string, Record<string, number>>();
    for (const [file, format] of Object.entries(FORMAT)) for (const c of readConversations(sharedPath(file), format)) ours.set(`${file}|${c.id}`, fingerprint(userTurns(c)));
    expect(ours.size).toBe(lines.length); // no conversation more or less than the reference keeps
    expectOracle(lines, ours);
  });

  sharedTest("the CLI path too: `ppol fingerprint` of the file and of a stored τ-USI set exported as JSONL", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-oracle-"));
    const db = join(cwd, "a.sqlite");
    const ours = new Map<string, Record<string, number>>();
    const collect = (file: string, out: string) => {
      for (const l of out.split("\n")) {
        const { id, features } = JSON.parse(l);
        ours.set(`${file}|${id}`, features);
      }
    };
    const sim = await runCli(["fingerprint", sharedPath("corpora/tau-bench-sim/gpt-4o-airline.json"), "--format", "tau-bench"], { cwd });
    expect(sim.code, sim.err).toBe(0);
    collect("corpora/tau-bench-sim/gpt-4o-airline.json", sim.out);
    expect((await runCli(["human", "import", sharedPath("fixtures/tau-usi-example.json"), "--format", "tau-usi", "--name", "usi", "--split", "hash", "--db", db], { cwd })).code).toBe(0);
    expect((await runCli(["conversations", "export", "usi", "--out", "usi.jsonl", "--db", db], { cwd })).code).toBe(0);
    const usi = await runCli(["fingerprint", "usi.jsonl", "--db", db], { cwd });
    expect(usi.code, usi.err).toBe(0);
    collect("fixtures/tau-usi-example.json", usi.out);
    expectOracle(oracle(), ours);
  }, 60_000);
});
