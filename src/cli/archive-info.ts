import { listRuns, SCHEMA_VERSION } from "../store/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";

export default defineCommand({
  name: "archive info",
  summary: "show the archive: schema version, tables and row counts, runs",
  usage: "ppol archive info [--db PATH] [--json]",
  description: "Opens (and migrates) the archive named by --db / PPOL_DB / [defaults].db.",
  options: { ...JSON_OPTION },
  examples: ["ppol archive info", "ppol archive info --db shared-run.sqlite --json"],
  run(ctx) {
    const store = ctx.store();
    const tables = (store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    const counts = Object.fromEntries(tables.map((t) => [t, (store.db.query(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
    const runs = listRuns(store).map((r) => ({ id: r.id, kind: r.kind, status: r.status, created_at: r.created_at }));
    const info = { path: store.path, schema_version: SCHEMA_VERSION, tables: counts, runs };
    if (ctx.values.json) return void ctx.io.out(JSON.stringify(info, null, 2));
    ctx.io.out(`archive ${store.path} (schema v${SCHEMA_VERSION})`);
    for (const [t, n] of Object.entries(counts)) ctx.io.out(`  ${t.padEnd(28)} ${String(n).padStart(8)} rows`);
    ctx.io.out(runs.length ? `runs:\n${runs.map((r) => `  ${r.id}  ${r.kind.padEnd(10)} ${r.status.padEnd(11)} ${r.created_at}`).join("\n")}` : "no runs yet");
  },
});
