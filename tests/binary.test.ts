/**
 * The compiled binary, used the way a lab would: copied alone into an empty directory, run with an
 * empty HOME, PATH=/usr/bin:/bin (no node, bun or python) and no config.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./support/cli.ts";
import { startFakeOpenAI, text, toolCall } from "./support/fake-openai/index.ts";
import { sharedPath, sharedTest } from "./support/shared.ts";

const root = join(import.meta.dir, "..");
let work: string;
let binary: string;

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), "ppol-build-"));
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts", "--outfile", join(out, "ppol")], { cwd: root, stdout: "pipe", stderr: "pipe" });
  if (!build.success) throw new Error(`build failed: ${build.stderr.toString()}`);
  work = mkdtempSync(join(tmpdir(), "ppol-bin-"));
  binary = join(work, "ppol");
  copyFileSync(join(out, "ppol"), binary);
}, 120_000);

function isolatedEnv(home: string) {
  return { HOME: home, PATH: "/usr/bin:/bin" };
}

async function run(args: string[], env: Record<string, string>) {
  const proc = Bun.spawn([binary, ...args], { cwd: work, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { stdout, stderr, code };
}

describe("compiled binary", () => {
  test("--version works with no toolchain on PATH", async () => {
    const r = await run(["--version"], isolatedEnv(mkdtempSync(join(tmpdir(), "home-"))));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ppol \S+ \(commit \S+\) pyodide 314\.0\.7 sqlite 3\.\d+/);
  });

  test("two first starts at the same moment on an empty cache both run Python", async () => {
    const home = mkdtempSync(join(tmpdir(), "home-"));
    const [a, b] = await Promise.all([run(["doctor", "--json"], isolatedEnv(home)), run(["doctor", "--json"], isolatedEnv(home))]);
    for (const r of [a, b]) {
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      const python = doc.checks.find((c: any) => c.name === "python");
      expect(python.status).toBe("ok");
      expect(python.data.ran).toBe(true);
      expect(python.data.origin).toBe("embedded");
    }
    const cacheDir = join(home, ".cache", "ppol");
    expect(readdirSync(cacheDir).filter((f) => f.startsWith("."))).toEqual([]);
    // Warm start boots from the snapshot.
    const warm = JSON.parse((await run(["doctor", "--json", "--skip-endpoints"], isolatedEnv(home))).stdout);
    expect(warm.checks.find((c: any) => c.name === "python").data.boot_kind).toBe("snapshot");
  });

  test("a corrupted cache file and a corrupted snapshot are repaired", async () => {
    const home = mkdtempSync(join(tmpdir(), "home-"));
    expect((await run(["doctor", "--json", "--skip-endpoints"], isolatedEnv(home))).code).toBe(0);
    const dir = join(home, ".cache", "ppol", readdirSync(join(home, ".cache", "ppol")).find((d) => d.startsWith("pyodide-"))!);
    truncateSync(join(dir, "python_stdlib.zip"), 10);
    const snapshot = readdirSync(dir).find((f) => f.startsWith("snapshot-"))!;
    writeFileSync(join(dir, snapshot), "garbage");
    const r = await run(["doctor", "--json", "--skip-endpoints"], isolatedEnv(home));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).checks.find((c: any) => c.name === "python").data.ran).toBe(true);
  });

  test("serve answers pages and every embedded web asset, with no files beside the binary", async () => {
    const env = isolatedEnv(mkdtempSync(join(tmpdir(), "home-")));
    expect((await run(["archive", "info", "--db", "served.sqlite"], env)).code).toBe(0);
    const proc = Bun.spawn([binary, "serve", "--db", "served.sqlite", "--port", "0"], { cwd: work, env, stdout: "pipe", stderr: "pipe" });
    try {
      const reader = proc.stdout.getReader();
      let banner = "";
      while (!banner.includes("\n")) banner += new TextDecoder().decode((await reader.read()).value);
      const url = /ppol serve: (http:\/\/\S+)/.exec(banner)![1]!;
      expect((await fetch(`${url}/`)).status).toBe(200);
      for (const asset of ["style.css", "app.js", "uPlot.iife.min.js", "uPlot.min.css"]) {
        const res = await fetch(`${url}/static/${asset}`);
        expect(`${asset} ${res.status}`).toBe(`${asset} 200`);
        expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(500);
      }
    } finally {
      proc.kill();
      await proc.exited;
    }
  });

  sharedTest("a bundle verifies with only the binary beside it: empty HOME, no server, no archive, no τ² data", async () => {
    // Recorded from source against the fake server: personas generated in the sandbox, then episodes.
    const source = mkdtempSync(join(tmpdir(), "ppol-bundle-src-"));
    const fake = await startFakeOpenAI();
    const { population, WORDS_180 } = await import("./personas/_scripted.ts");
    fake.reply({ role: "generator", last: /Create exactly/ }, text(JSON.stringify({ personas: population(2) })));
    fake.reply({ role: "generator" }, text(WORDS_180));
    fake.reply({ role: "agent" }, (req) => (req.body.messages.at(-1)?.role === "tool" ? text("It is confirmed.") : toolCall("get_reservation_details", { reservation_id: "4WQ150" })));
    fake.reply({ role: "user" }, (req) => text(req.body.messages.length > 5 ? "bye ###STOP###" : `turn ${req.body.messages.length}`));
    const common = ["--db", "lab.sqlite", "--tau2-data", sharedPath("tau2/domains")];
    const sim = await runCli(["simulate", "--json", ...common, "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--domain", "airline", "--tasks", "11", "--program", "seed:ppol", "--n", "2", "--no-judge"], { cwd: source });
    await fake.stop();
    expect(sim.code).toBe(0);
    const runId = JSON.parse(sim.out).run_id;
    expect((await runCli(["bundle", "create", runId, "--out", "run.ppol", ...common], { cwd: source })).code).toBe(0);

    const empty = mkdtempSync(join(tmpdir(), "ppol-bundle-bin-"));
    copyFileSync(binary, join(empty, "ppol"));
    copyFileSync(join(source, "run.ppol"), join(empty, "run.ppol"));
    const proc = Bun.spawn([join(empty, "ppol"), "bundle", "verify", "run.ppol"], { cwd: empty, env: isolatedEnv(mkdtempSync(join(tmpdir(), "home-"))), stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    expect(stderr).not.toContain("ppol:");
    expect(stdout).toStartWith(`verified: run ${runId} (simulate, done) — 5 outputs match the manifest, 3 units replayed`);
    expect(code).toBe(0);
    expect(readdirSync(empty).sort()).toEqual(["ppol", "run.ppol"]); // no archive left behind
  }, 120_000);

  test("bad input: unknown flag and unusable --db are exit 2 with one line", async () => {
    const env = isolatedEnv(mkdtempSync(join(tmpdir(), "home-")));
    const flag = await run(["doctor", "--frobnicate"], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim().split("\n")).toHaveLength(1);
    const db = await run(["archive", "info", "--db", "/proc/no-such-dir/x.sqlite"], env);
    expect(db.code).toBe(2);
    expect(db.stderr).toContain("/proc/no-such-dir/x.sqlite");
    expect(db.stderr.trim().split("\n")).toHaveLength(1);
  });
});
