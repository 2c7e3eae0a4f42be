import { describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURE_DIR } from "./helpers.ts";
import { runCli } from "../support/cli.ts";

const ppol = (argv: string[], env: Record<string, string> = {}, cwd = mkdtempSync(join(tmpdir(), "ppol-tau2-cli-"))) => runCli(argv, { env, cwd });

describe("ppol tau2 replay", () => {
  test("--gold: one line per task with calls and diff", async () => {
    const r = await ppol(["tau2", "replay", "--domain", "retail", "--gold", "--tau2-data", FIXTURE_DIR]);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["0", "1", "2"]);
    expect(lines[0].calls[0]).toEqual({ name: "find_user_id_by_email", arguments: { email: "ann@example.com" }, error: false, content: "ann_lee_1" });
    expect(Object.keys(lines[0].diff)).toEqual(["orders"]);
    expect(lines[0].diff.orders["#W1"].status).toBe("cancelled");
    expect(lines[2].diff).toEqual({});
  });
  test("--calls FILE: each line on a fresh environment; TAU2_DATA_DIR works", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-tau2-calls-"));
    const file = join(dir, "calls.jsonl");
    const line = { id: "x", calls: [{ name: "cancel_reservation", arguments: { reservation_id: "ABC123" } }, { name: "send_certificate", arguments: { user_id: "mia_li_1", amount: 5.0 } }] };
    writeFileSync(file, `${JSON.stringify(line)}\n${JSON.stringify({ ...line, id: 7 })}\n`.replace('"amount":5', '"amount":5.0'));
    const r = await ppol(["tau2", "replay", "--domain", "airline", "--calls", file], { TAU2_DATA_DIR: FIXTURE_DIR });
    expect(r.code).toBe(0);
    const [a, b] = r.out.split("\n").map((l) => JSON.parse(l));
    expect(a.calls[1].content).toBe("Certificate certificate_3221322 added to user mia_li_1 with amount 5.0.");
    expect(b.id).toBe(7);
    expect(b.calls[0].content).toBe(a.calls[0].content); // fresh state: same refunds, not doubled
    expect(Object.keys(a.diff).sort()).toEqual(["reservations", "users"]);
  });
  test("bad input: one line naming file:line and the JSON path, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-tau2-calls-"));
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, '{"id": 1, "calls": [{"name": "calculate", "arguments": {}}]}\n{"id": 2, "calls": [{"arguments": {}}]}\n');
    const r = await ppol(["tau2", "replay", "--domain", "retail", "--calls", file, "--tau2-data", FIXTURE_DIR]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}:2: $.calls[0].name: expected a string`);
    expect(r.err.split("\n")).toHaveLength(1);
    const both = await ppol(["tau2", "replay", "--domain", "retail", "--gold", "--calls", file, "--tau2-data", FIXTURE_DIR]);
    expect(both.code).toBe(2);
    const typo = await ppol(["tau2", "replay", "--domain", "retial", "--gold", "--tau2-data", FIXTURE_DIR]);
    expect(typo.err).toContain('did you mean "retail"');
  });
});

describe("ppol tau2 import / info", () => {
  test("import stores both domains with hashes; info then reads the archive", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-tau2-archive-"));
    const none = await ppol(["tau2", "replay", "--domain", "retail", "--gold"], {}, cwd);
    expect(none.code).toBe(2);
    expect(none.err).toContain("ppol tau2 import DIR");
    const imp = await ppol(["tau2", "import", FIXTURE_DIR, "--json"], {}, cwd);
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.out).imported.map((d: { domain: string }) => d.domain)).toEqual(["retail", "airline"]);
    const info = await ppol(["tau2", "info", "--json"], {}, cwd);
    const rows = JSON.parse(info.out).domains;
    expect(rows.map((d: { domain: string; tasks: number }) => [d.domain, d.tasks])).toEqual([["retail", 3], ["airline", 2]]);
    expect(rows[0].splits).toEqual({ train: 2, test: 1, base: 3 });
    const direct = await ppol(["tau2", "info", "--json", "--tau2-data", FIXTURE_DIR], {}, cwd);
    expect(JSON.parse(direct.out).domains[0].sha256.data).toBe(rows[0].sha256.data);
    const replay = await ppol(["tau2", "replay", "--domain", "airline", "--gold"], {}, cwd);
    expect(replay.code).toBe(0);
    expect(replay.out.split("\n")).toHaveLength(2);
  });
  test("a relative --tau2-data is relative to the working directory; a data folder opens no archive", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-tau2-rel-"));
    cpSync(FIXTURE_DIR, join(cwd, "data"), { recursive: true });
    const info = await ppol(["tau2", "info", "--json", "--tau2-data", "data"], {}, cwd);
    expect(info.code, info.err).toBe(0);
    expect(JSON.parse(info.out).domains.map((d: { domain: string }) => d.domain)).toEqual(["retail", "airline"]);
    const replay = await ppol(["tau2", "replay", "--domain", "retail", "--gold", "--tau2-data", "data"], {}, cwd);
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out.split("\n")).toHaveLength(3);
    expect(existsSync(join(cwd, "ppol.sqlite"))).toBe(false);
  });
  test("import refuses a folder without domains", async () => {
    const r = await ppol(["tau2", "import", tmpdir()]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no retail or airline folder");
  });
});
