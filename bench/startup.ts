/**
 * Startup of the compiled binary: `ppol --version` wall time (goal ≤ 60 ms) and the Pyodide boot
 * inside the binary with a warm cache (goal ≤ 1.0 s), next to the cold boot it replaces.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, report } from "./_util.ts";

const root = join(import.meta.dir, "..");
const binary = join(root, "dist", "ppol");
if (!existsSync(binary) || process.argv.includes("--rebuild")) {
  const build = Bun.spawnSync([process.execPath, "scripts/build.ts"], { cwd: root, stdout: "inherit", stderr: "inherit" });
  if (!build.success) process.exit(1);
}
const home = mkdtempSync(join(tmpdir(), "ppol-bench-home-"));
const env = { HOME: home, PATH: "/usr/bin:/bin" };

function wall(args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = Bun.spawnSync([binary, ...args], { env, stdout: "pipe", stderr: "pipe" });
  const ms = performance.now() - t;
  if (!r.success) throw new Error(`ppol ${args.join(" ")} failed: ${r.stderr.toString()}`);
  return { ms, stdout: r.stdout.toString() };
}

wall(["--version"]); // page the binary in once
const versionTimes = Array.from({ length: 21 }, () => wall(["--version"]).ms);
const boot = (r: { stdout: string }) => JSON.parse(r.stdout).checks.find((c: any) => c.name === "python").data;

const cold = wall(["doctor", "--json", "--skip-endpoints"]);
const coldBoot = boot(cold);
const warmRuns = Array.from({ length: 5 }, () => wall(["doctor", "--json", "--skip-endpoints"]));
const warmBoots = warmRuns.map((r) => boot(r).boot_ms as number);

console.log(`# startup (dist/ppol, ${(Bun.file(binary).size / 2 ** 20).toFixed(0)} MB, empty HOME, PATH=/usr/bin:/bin)`);
report("ppol --version, median of 21", median(versionTimes), "ms", { max: 60 });
report(`pyodide boot, first start (${coldBoot.boot_kind}, unpack + snapshot)`, coldBoot.boot_ms, "ms");
report("pyodide boot, warm cache (snapshot), median of 5", median(warmBoots), "ms", { max: 1000 });
report("doctor --skip-endpoints wall, warm, median of 5", median(warmRuns.map((r) => r.ms)), "ms");
console.log(`ratio cold/warm boot: ${(coldBoot.boot_ms / median(warmBoots)).toFixed(1)}x`);
