/** `ppol sandbox run` end to end: several files through one pool, one JSON line each, exit codes. */
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Outcome } from "../../src/python/index.ts";
import { MAIN, spawnCli } from "../support/cli.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";

// Sandbox processes boot in ~1 s alone, much longer on a loaded machine.
setDefaultTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), "ppol-sandbox-cli-"));
writeFileSync(join(dir, "ok.py"), "def f(x):\n    return {'x': x * 2}\n");
writeFileSync(join(dir, "plant.py"), "import builtins\nbuiltins.LEAK = 1\ndef f(x):\n    return x\n");
writeFileSync(join(dir, "check.py"), "import builtins\ndef f(x):\n    return hasattr(builtins, 'LEAK')\n");
writeFileSync(join(dir, "syntax.py"), "def broken(:\n");
writeFileSync(join(dir, "loop.py"), "def f(x):\n    while True: pass\n");

const ppol = (args: string[]) => spawnCli(args, { cwd: dir, env: { PPOL_CACHE: TEST_CACHE_ROOT } });

function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (/^\S+ \(.*\) \S (\d+)/.exec(stat)?.[1] === String(ppid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("__sandbox-worker")) out.push(Number(pid));
    } catch {
      // gone
    }
  }
  return out;
}

const deadOrGone = (pid: number) => {
  try {
    return /^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
};

describe("ppol sandbox run", () => {
  test("a sandbox dies with its host (no orphan keeps spinning)", async () => {
    const host = Bun.spawn([process.execPath, MAIN, "sandbox", "run", "loop.py", "--call", "f", "--args", "[1]", "--timeout-ms", "100000"], {
      cwd: dir,
      env: { ...process.env, PPOL_CACHE: TEST_CACHE_ROOT },
      stdout: "ignore",
      stderr: "ignore",
    });
    let children: number[] = [];
    for (let i = 0; i < 600 && children.length === 0; i++) {
      await Bun.sleep(100);
      children = childrenOf(host.pid);
    }
    expect(children.length).toBeGreaterThan(0);
    // Wait until the child has confined itself (seccomp filter on), i.e. the program is about to spin.
    const confined = (pid: number) => {
      try {
        return /^Seccomp:\s+2/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 600 && !confined(children[0]!); i++) await Bun.sleep(100);
    expect(confined(children[0]!)).toBe(true);
    await Bun.sleep(500);
    host.kill("SIGKILL");
    await host.exited;
    for (let i = 0; i < 50 && !children.every(deadOrGone); i++) await Bun.sleep(100);
    expect(children.filter((pid) => !deadOrGone(pid))).toEqual([]);
  });

  test("several files: one JSON line each, in order, nothing shared, exit 1 when one fails", async () => {
    const r = await ppol(["sandbox", "run", "ok.py", "plant.py", "check.py", "loop.py", "syntax.py", "--call", "f", "--args", "[21]", "--timeout-ms", "1500", "--json"]);
    const lines = r.stdout.trim().split("\n").map((l) => Outcome.parse(JSON.parse(l)));
    expect(lines.map((o) => (o.ok ? o.result : o.error_kind))).toEqual([{ x: 42 }, 21, false, "timeout", "exception"]);
    expect(lines[4]!.error).toContain("SyntaxError");
    expect(r.code).toBe(1);
  });

  test("exit 0 when every file is ok; the result of the last expression without --call", async () => {
    writeFileSync(join(dir, "expr.py"), "print('hi')\n6 * 7\n");
    const r = await ppol(["sandbox", "run", "expr.py", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, result: 42, stdout: "hi\n", error_kind: null });
  });

  test("bad input exits 2 with one line", async () => {
    for (const args of [["missing.py"], ["ok.py", "--args", "[1]"], ["ok.py", "--call", "f", "--args", "{bad"], ["ok.py", "--timeout-ms", "soon"], ["ok.py", "--call", "f()"]]) {
      const r = await ppol(["sandbox", "run", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n").length).toBe(1);
    }
  });
});
