/** Global options are accepted before or after the command, for every command (as git / gh do). */
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseInvocation } from "../src/cli/app.ts";
import { COMMANDS } from "../src/cli/registry.ts";
import { runCli } from "./support/cli.ts";

const GLOBALS = ["--db", "a.sqlite", "--config", "p.toml", "--endpoint", "http://127.0.0.1:9/v1", "--model", "m1", "--llm-cache", "ro", "--seed", "7", "--tau2-data", "d", "--verbose", "--no-color"];
const EXPECTED = { db: "a.sqlite", config: "p.toml", endpoint: "http://127.0.0.1:9/v1", model: "m1", "llm-cache": "ro", seed: "7", "tau2-data": "d", verbose: true, "no-color": true };

describe("global options in both positions", () => {
  for (const command of COMMANDS) {
    test(`ppol [globals] ${command.name} … ≡ ppol ${command.name} … [globals]`, () => {
      // Enough positionals for commands that need them, so parsing gets to the options.
      const positionals = Array.from({ length: command.positionals?.min ?? 0 }, (_, i) => `arg${i}`);
      const words = command.name.split(" ");
      const before = parseInvocation([...GLOBALS, ...words, ...positionals]);
      const after = parseInvocation([...words, ...positionals, ...GLOBALS]);
      if ("help" in before || "help" in after) throw new Error("unexpected --help");
      expect(before.command.name).toBe(command.name);
      expect(after.command.name).toBe(command.name);
      expect(before.values).toMatchObject(EXPECTED);
      expect(after.values).toMatchObject(EXPECTED);
      expect(before.positionals).toEqual(positionals);
      expect(after.positionals).toEqual(positionals);
    });
  }

  test("a global option before the command takes effect (the archive named by --db is the one opened)", async () => {
    const r = await runCli(["--db", "first.sqlite", "archive", "info", "--json"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(r.cwd, "first.sqlite"))).toBe(true);
    const s = await runCli(["archive", "info", "--json", "--db=second.sqlite"], { cwd: r.cwd });
    expect(s.code).toBe(0);
    expect(existsSync(join(r.cwd, "second.sqlite"))).toBe(true);
  });

  test("a command option before the command, or a missing value, is a one-line usage error (exit 2)", async () => {
    const r = await runCli(["--json", "archive", "info"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option --json before the command/);
    expect(r.err.split("\n")).toHaveLength(1);
    const m = await runCli(["--db"]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/--db needs a value/);
    const none = await runCli(["--db", "x.sqlite"]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/which command/);
  });

  test("--help after leading globals shows the command's help", async () => {
    const r = await runCli(["--db", "x.sqlite", "score", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: ppol score");
  });
});
