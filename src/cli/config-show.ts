import { defineCommand, JSON_OPTION } from "./command.ts";

export default defineCommand({
  name: "config show",
  summary: "print the effective config and where each value came from",
  usage: "ppol config show [--json]",
  description: "Precedence, lowest first: built-in defaults < ppol.toml (--config / PPOL_CONFIG / ./ppol.toml) < PPOL_* environment variables < flags.",
  options: { ...JSON_OPTION },
  examples: ["ppol config show", "PPOL_DB=lab.sqlite ppol --model llama3.1:8b config show --json"],
  run(ctx) {
    const { config, sources, file } = ctx.config();
    const entries = flatten(config).map(([path, value]) => ({ path, value, source: sources[path] ?? "default" }));
    if (ctx.values.json) {
      ctx.io.out(JSON.stringify({ file: file ?? null, config, sources: Object.fromEntries(entries.map((e) => [e.path, e.source])) }, null, 2));
      return;
    }
    ctx.io.out(`# config file: ${file ?? "(none; built-in defaults)"}`);
    const width = Math.max(...entries.map((e) => e.path.length));
    for (const e of entries) ctx.io.out(`${e.path.padEnd(width)}  ${JSON.stringify(e.value).padEnd(34)}  ${e.source}`);
  },
});

function flatten(value: unknown, prefix = ""): [string, unknown][] {
  if (value === null || typeof value !== "object") return [[prefix, value]];
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
