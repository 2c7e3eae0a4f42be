/**
 * `npm run build`: stage the Pyodide runtime into pyodide-cache/ (with a sha256 manifest), then
 * compile dist/ppol with everything embedded. The binary needs no node, bun, python or network.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RUNTIME_FILES } from "../src/python/assets.ts";
import { sha256 } from "../src/hash.ts";

const root = join(import.meta.dir, "..");
const staging = join(root, "pyodide-cache");
const source = dirname(Bun.resolveSync("pyodide/package.json", root));
const version = JSON.parse(readFileSync(join(source, "package.json"), "utf8")).version as string;

mkdirSync(staging, { recursive: true });
const files: Record<string, string> = {};
for (const name of RUNTIME_FILES) {
  const bytes = readFileSync(join(source, name));
  files[name] = sha256(bytes);
  const target = join(staging, name);
  if (!existsSync(target) || sha256(readFileSync(target)) !== files[name]) copyFileSync(join(source, name), target);
}
writeFileSync(join(staging, "manifest.json"), `${JSON.stringify({ version, files }, null, 1)}\n`);

const commit = Bun.spawnSync(["git", "rev-parse", "--short=12", "HEAD"], { cwd: root, stderr: "ignore" });
const dirty = Bun.spawnSync(["git", "status", "--porcelain", "--untracked-files=no"], { cwd: root, stderr: "ignore" });
const commitId = commit.success ? commit.stdout.toString().trim() + (dirty.stdout.toString().trim() ? "-dirty" : "") : "unknown";

const outIndex = process.argv.indexOf("--outfile");
const outfile = outIndex > 0 ? process.argv[outIndex + 1]! : join(root, "dist", "ppol");
const started = performance.now();
const proc = Bun.spawnSync(
  [process.execPath, "build", "--compile", "--minify-syntax", "--minify-whitespace", "--bytecode", "--format=esm", `--define=PPOL_BUILD_COMMIT=${JSON.stringify(commitId)}`, join(root, "src/cli/binary.ts"), "--outfile", outfile],
  { cwd: root, stdout: "inherit", stderr: "inherit" },
);
if (!proc.success) process.exit(proc.exitCode ?? 1);
const size = Bun.file(outfile).size;
console.log(`built ${outfile} (${(size / 2 ** 20).toFixed(0)} MB, pyodide ${version}, commit ${commitId}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
