import { UsageError } from "../errors.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { createBundle } from "../report/index.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { formatBytes } from "./format.ts";
import { tau2DataDir } from "./tau2-args.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "bundle create",
  summary: "one run as one file a colleague replays and verifies offline: its inputs, every LLM answer, its outputs",
  usage: "ppol bundle create RUN --out FILE.ppol [--db PATH] [--tau2-data DIR] [--json]",
  description:
    "Writes the run, the runs it read (e.g. the personas run of `simulate --program`) and the runs it made (an\n" +
    "evolve run's evaluations), every LLM request and answer they made or took from the cache, and every input\n" +
    "they read — the τ² domain files with the user-simulator guidelines and tool schemas, the generator program,\n" +
    "an evolve run's human reference set and discriminator — into one compressed file, with a manifest: ppol\n" +
    "version and commit, Pyodide and SQLite versions, seeds, input hashes, counts and a digest of every output.\n" +
    "τ² data the archive does not hold is read from --tau2-data (it must be the data the run used).\n" +
    "A running run is refused; a finished, interrupted or failed one is bundled as it is.",
  options: {
    out: { type: "string", valueName: "FILE.ppol", description: "the bundle to write (required)" },
    ...JSON_OPTION,
  },
  positionals: { min: 1, max: 1, names: "RUN" },
  examples: ["ppol bundle create sim-20261126-1203-ab12cd34 --out run.ppol", "ppol bundle create sim-20261126-1203-ab12cd34 --out run.ppol --tau2-data ../tau2/data/tau2/domains", "ppol bundle create personas-1a2b3c4d --out personas.ppol --db lab.sqlite", "ppol bundle create evolve-20261130-0900-1a2b3c4d --out evolve.ppol"],
  run(ctx) {
    const out = str(ctx.values, "out");
    if (!out) throw new UsageError("bundle create: --out FILE.ppol is required", "e.g. --out run.ppol");
    const v = versionInfo();
    const ppol = { version: v.ppol, commit: v.commit, pyodide: v.pyodide, sqlite: v.sqlite };
    const { bytes, manifest, warnings } = createBundle(ctx.store(), ctx.positionals[0]!, { tau2Dir: tau2DataDir(ctx), ppol, now: new Date() });
    const path = resolvePath(ctx.cwd, out);
    writeFileAtomic(path, bytes);
    for (const w of warnings) ctx.io.err(`ppol: warning: ${w}`);
    const c = manifest.counts;
    if (ctx.values.json) return void ctx.io.out(JSON.stringify({ file: path, bytes: bytes.byteLength, run: manifest.run, runs: manifest.runs.map((r) => r.id), counts: c, digest: manifest.digest }, null, 2));
    const main = manifest.runs.find((r) => r.id === manifest.run)!;
    const deps = manifest.runs.filter((r) => r.id !== manifest.run).map((r) => r.id);
    const perEpisode = c.episodes ? ` (${formatBytes(bytes.byteLength / c.episodes)} per episode)` : "";
    ctx.io.out(`bundle ${out}: run ${main.id} (${main.kind}, ${main.status})${deps.length ? ` with ${deps.join(", ")}` : ""} · ${formatBytes(bytes.byteLength)}${perEpisode}`);
    ctx.io.out(`  ${c.episodes} episodes · ${c.persona_tasks} persona tasks · ${c.personas} personas · ${c.llm_calls} LLM calls · ${c.tau2_files} τ² files · ${c.persona_programs} programs · outputs sha256 ${manifest.digest.slice(0, 12)}`);
    ctx.io.out(`  a colleague needs only the binary and this file: ppol bundle verify ${out}`);
  },
});
