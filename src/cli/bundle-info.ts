import { resolvePath } from "../files.ts";
import { openBundle } from "../store/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";
import { formatBytes } from "./format.ts";

export default defineCommand({
  name: "bundle info",
  summary: "what a bundle holds: its manifest (versions, runs, seeds, input hashes), counts and size",
  usage: "ppol bundle info FILE.ppol [--json]",
  description: "Reads the file only (no archive, no replay); `ppol bundle verify` checks it.",
  options: { ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "FILE.ppol" },
  examples: ["ppol bundle info run.ppol", "ppol bundle info run.ppol --json"],
  run(ctx) {
    const file = ctx.positionals[0]!;
    const bundle = openBundle(resolvePath(ctx.cwd, file), file);
    ctx.onExit(() => bundle.close());
    const m = bundle.manifest;
    if (ctx.values.json) return void ctx.io.out(JSON.stringify({ file, format: bundle.format, bytes: bundle.bytes, manifest: m }, null, 2));
    const out = ctx.io.out;
    out(`bundle ${file} — format v${bundle.format}, ${formatBytes(bundle.bytes.file)} (archive ${formatBytes(bundle.bytes.archive)}), created ${m.created_at}`);
    out(`  made by ppol ${m.ppol.version} (commit ${m.ppol.commit}) · pyodide ${m.ppol.pyodide} · sqlite ${m.ppol.sqlite} · archive schema v${m.ppol.schema_version}`);
    for (const r of m.runs.filter((r) => !r.made_by)) {
      const inputs = Object.entries(r.inputs).map(([k, v]) => `${k} ${v.slice(0, 12)}`).join(" · ");
      const made = m.runs.filter((c) => c.made_by === r.id);
      out(`  ${r.id === m.run ? "run" : "dependency"} ${r.id} (${r.kind}, ${r.status}, seed ${r.seed ?? "-"}, created ${r.created_at}) · ${Object.keys(m.outputs[r.id]?.items ?? {}).length} outputs${inputs ? ` · ${inputs}` : ""}`);
      if (made.length) out(`    and ${made.length} runs it made (${made.reduce((n, c) => n + Object.keys(m.outputs[c.id]?.items ?? {}).length, 0)} outputs)`);
    }
    for (const [name, digest] of Object.entries(m.inputs.sets)) out(`  conversation set ${name} ${digest.slice(0, 12)}`);
    for (const [id, digest] of Object.entries(m.inputs.discriminators)) out(`  discriminator ${id} ${digest.slice(0, 12)}`);
    for (const d of m.inputs.tau2) out(`  τ² ${d.name} data ${d.data_hash.slice(0, 12)}: ${Object.entries(d.files).map(([f, h]) => `${f} ${h.slice(0, 12)}`).join(", ")}`);
    for (const p of m.inputs.programs) out(`  program ${p.sha256.slice(0, 12)} (${p.name})`);
    out(`  counts: ${Object.entries(m.counts).map(([k, v]) => `${k} ${v}`).join(" · ")}`);
    out(`  outputs digest sha256 ${m.digest}`);
  },
});
