import { describe, expect, test } from "bun:test";
import { runCli } from "./support/cli.ts";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ppol = runCli;

describe("cli", () => {
  test("--help lists commands and exits 0", async () => {
    const r = await ppol(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("config show");
  });

  test("--version names ppol, pyodide and sqlite versions", async () => {
    const r = await ppol(["--version"]);
    expect(r.out).toMatch(/^ppol \d+\.\d+\.\d+ \(commit \w+\) pyodide [\d.]+ sqlite 3\.\d+/);
  });

  test("unknown command suggests the closest one, exit 2", async () => {
    const r = await ppol(["conifg", "show"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean "config"');
    expect(r.err.split("\n")).toHaveLength(1);
  });

  test("unknown flag is a usage error naming the flag", async () => {
    const r = await ppol(["config", "show", "--jsn"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--jsn");
    expect(r.err).toContain("did you mean --json");
  });

  test("command --help shows usage and examples", async () => {
    const r = await ppol(["init", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: ppol init");
    expect(r.out).toContain("Examples:");
  });

  test("init writes a config that loads back with every default, and refuses to overwrite", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-init-"));
    expect((await ppol(["init"], { cwd })).code).toBe(0);
    expect(readFileSync(join(cwd, "ppol.toml"), "utf8")).toContain("[endpoints.local]");
    const shown = await ppol(["config", "show", "--json"], { cwd });
    expect(shown.code).toBe(0);
    const doc = JSON.parse(shown.out);
    expect(doc.config.defaults.seed).toBe(42);
    expect(doc.sources["defaults.db"]).toStartWith("file:");
    const again = await ppol(["init"], { cwd });
    expect(again.code).toBe(2);
    expect(again.err).toContain("--force");
  });

  test("config precedence: file < env < flag, with sources", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-prec-"));
    writeFileSync(join(cwd, "ppol.toml"), '[defaults]\ndb = "file.sqlite"\nseed = 7\n');
    const r = await ppol(["config", "show", "--json", "--db", "flag.sqlite", "--model", "m1"], { cwd, env: { PPOL_DB: "env.sqlite", PPOL_SEED: "9" } });
    const doc = JSON.parse(r.out);
    expect(doc.config.defaults.db).toBe("flag.sqlite");
    expect(doc.sources["defaults.db"]).toBe("flag:--db");
    expect(doc.config.defaults.seed).toBe(9);
    expect(doc.sources["defaults.seed"]).toBe("env:PPOL_SEED");
    expect(doc.config.roles.agent.targets[0].model).toBe("m1");
  });

  test("bad config value names the file and field, exit 2", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-bad-"));
    writeFileSync(join(cwd, "ppol.toml"), '[defaults]\nllm_cache = "sometimes"\n');
    const r = await ppol(["config", "show"], { cwd });
    expect(r.code).toBe(2);
    expect(r.err).toContain("ppol.toml");
    expect(r.err).toContain("defaults.llm_cache");
  });

  test("unknown config key suggests the right one", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-bad-"));
    writeFileSync(join(cwd, "ppol.toml"), "[endpoints.local]\nbase_url = 'http://127.0.0.1:1/v1'\nmax_concurency = 3\n");
    const r = await ppol(["config", "show"], { cwd });
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean "max_concurrency"');
  });

  test("bad --endpoint URL is exit 2", async () => {
    const r = await ppol(["config", "show", "--endpoint", "localhost:11434"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--endpoint");
    expect(existsSync("ppol.sqlite.tmp")).toBe(false);
  });
});

test("defaults are fresh per load: --endpoint in one load does not leak into the next", async () => {
  const { Config } = await import("../src/config/index.ts");
  const a = Config.parse({});
  a.endpoints.cli = a.endpoints.local!;
  a.roles.agent = { targets: [{ endpoint: "cli", model: "x", weight: 1 }] };
  const b = Config.parse({});
  expect(Object.keys(b.endpoints)).toEqual(["local"]);
  expect(b.roles).toEqual({});
});

test("--help works even when required arguments are missing", async () => {
  const r = await ppol(["fidelity", "--help"]);
  expect(r.code).toBe(0);
  expect(r.out).toContain("Usage: ppol fidelity");
});

test("whole-number flags: range errors name the flag and the allowed range", async () => {
  const { intFlag, positiveFlag } = await import("../src/cli/command.ts");
  expect(intFlag({}, "trials", { fallback: 3 })).toBe(3);
  expect(intFlag({ trials: "4" }, "trials", { fallback: 1, max: 10 })).toBe(4);
  expect(() => intFlag({ trials: "0" }, "trials", { fallback: 1, max: 10 })).toThrow('--trials: "0" is not a whole number from 1 to 10');
  expect(() => intFlag({ k: "1.5" }, "k", { fallback: 0, min: 0 })).toThrow('--k: "1.5" is not a whole number ≥ 0');
  expect(() => intFlag({ k: "" }, "k", { fallback: 0, min: 0 })).toThrow("--k");
  expect(positiveFlag({ "max-cost": "2.5" }, "max-cost")).toBe(2.5);
  expect(() => positiveFlag({ "max-cost": "-1" }, "max-cost")).toThrow("--max-cost");
});
