/**
 * The hostile corpus: every file in tests/sandbox/hostile/ tries to escape or to wreck the host and
 * says what verdict it must get (`# expect: kind[|kind]`, `ok` = it runs but must leak nothing).
 * All run in order through ONE pool, as candidate programs do during evolution. Containment checks:
 * verdict, no canary (env var or host file content) in any output, no hit on the host's TCP/UDP
 * listeners, no file written on the host, no surviving sandbox process, a benign program still runs.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandboxPool, nodeModulesAssets, runProgram, type Outcome, type SandboxPool } from "../../src/python/index.ts";
import { TEST_CACHE_ROOT } from "../support/python.ts";

// Sandbox processes boot in ~1 s alone, much longer on a loaded machine.
setDefaultTimeout(120_000);

const DIR = join(import.meta.dir, "hostile");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".py")).sort();
const CANARY = `canary-${Math.random().toString(36).slice(2)}`;
const HOST_FILES = ["ppol-hostile-canary.txt", "ppol-hostile-spawn.txt", "ppol-hostile-ffi.txt", "ppol-hostile-os-system.txt"].map((f) => join(tmpdir(), f));

let pool: SandboxPool;
let tcpHits = 0;
let udpHits = 0;
let server: ReturnType<typeof Bun.serve>;
let udp: { close(): void };
let canaryDir: string;
const outcomes: Outcome[] = [];

beforeAll(async () => {
  process.env.PPOL_HOSTILE_CANARY = CANARY; // the host has it; no sandbox may see it
  for (const f of HOST_FILES) rmSync(f, { force: true });
  canaryDir = mkdtempSync(join(tmpdir(), "ppol-canary-"));
  writeFileSync(join(canaryDir, "secret.txt"), CANARY);
  server = Bun.serve({ port: 0, fetch: () => (tcpHits++, new Response("x")) });
  udp = await Bun.udpSocket({ port: server.port, socket: { data: () => void udpHits++ } });
  pool = createSandboxPool({ assets: nodeModulesAssets(), cacheRoot: TEST_CACHE_ROOT, spares: 2 });
});

afterAll(async () => {
  await pool?.close();
  server?.stop(true);
  udp?.close();
  rmSync(canaryDir, { recursive: true, force: true });
  delete process.env.PPOL_HOSTILE_CANARY;
});

function header(code: string) {
  const expectLine = /^# expect: (\S+)/m.exec(code);
  if (!expectLine) throw new Error("hostile file without an `# expect:` line");
  return { kinds: expectLine[1]!.split("|"), timeoutMs: Number(/^# timeout-ms: (\d+)/m.exec(code)?.[1] ?? 4000) };
}

describe("hostile programs are contained", () => {
  test("the corpus has at least 30 programs, each with a verdict", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(30);
    for (const f of FILES) expect(() => header(readFileSync(join(DIR, f), "utf8"))).not.toThrow();
  });

  for (const file of FILES) {
    test(file, async () => {
      const code = readFileSync(join(DIR, file), "utf8")
        .replaceAll("__PORT__", String(server.port))
        .replaceAll("__CANARY_FILE__", join(canaryDir, "secret.txt"));
      const { kinds, timeoutMs } = header(code);
      const outcome = await runProgram(pool, { code, filename: file, limits: { timeoutMs, memoryMb: 700 } });
      outcomes.push(outcome);
      const verdict = outcome.ok ? "ok" : outcome.error_kind;
      if (!kinds.includes(verdict!)) throw new Error(`${file}: expected ${kinds.join("|")}, got ${verdict}: ${outcome.error}`);
      expect(JSON.stringify(outcome)).not.toContain(CANARY);
      expect(outcome.stdout.length).toBeLessThan(70 * 1024);
      expect(outcome.stderr.length).toBeLessThan(70 * 1024);
      if (file === "leak_check.py") expect(outcome.result).toEqual({ found: [] });
      if (file === "forged_result.py") expect(outcome.result).toBe("forged"); // a lie about itself only
    });
  }

  test("nothing reached the host", async () => {
    await Bun.sleep(200);
    expect(tcpHits).toBe(0);
    expect(udpHits).toBe(0);
    for (const f of HOST_FILES) expect(existsSync(f)).toBe(false);
    expect(outcomes.length).toBe(FILES.length);
  });

  test("the next program runs normally", async () => {
    const outcome = await runProgram(pool, {
      code: "import sys\ndef double(x):\n    print('doubling')\n    return {'x': x * 2, 'v': sys.version_info[0]}\n",
      filename: "benign.py",
      call: { name: "double", args: [21] },
    });
    expect(outcome).toMatchObject({ ok: true, result: { x: 42, v: 3 }, error_kind: null, stdout: "doubling\n" });
  });

  test("no sandbox process outlives its program", async () => {
    await pool.close();
    await Bun.sleep(100);
    const survivors = readdirSync("/proc").filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        const ppid = /^\S+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1];
        return cmdline.includes("__sandbox-worker") && ppid === String(process.pid);
      } catch {
        return false;
      }
    });
    expect(survivors).toEqual([]);
  });
});
