import { existsSync } from "node:fs";
import { join } from "node:path";
import { DOMAIN_NAMES, loadDomain, type Domain } from "../tau2/index.ts";
import { listTau2Domains } from "../store/tau2.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";

export default defineCommand({
  name: "tau2 info",
  summary: "list τ² domains, task counts per split and data hashes",
  usage: "ppol tau2 info [--tau2-data DIR] [--json]",
  description: "Reads --tau2-data / TAU2_DATA_DIR / defaults.tau2_data when set, else the domains imported into the archive.",
  options: { ...JSON_OPTION },
  examples: ["ppol tau2 info --tau2-data ../shared/tau2/domains", "ppol tau2 info --json"],
  run(ctx) {
    const dir = ctx.config().config.defaults.tau2_data;
    const stored = dir ? [] : listTau2Domains(ctx.store()).map((r) => r.name);
    const names = DOMAIN_NAMES.filter((n) => (dir ? existsSync(join(dir, n)) : stored.includes(n)));
    const domains: Domain[] = names.map((n) => loadDomain(n, { dir, store: () => ctx.store() }));
    const rows = domains.map((d) => ({
      domain: d.name,
      source: dir ? join(dir, d.name) : "archive",
      tasks: d.tasks.length,
      splits: Object.fromEntries(Object.entries(d.splits).map(([k, v]) => [k, v.length])),
      tools: d.toolkit.tools.length,
      sha256: d.hashes,
    }));
    if (ctx.values.json) {
      ctx.io.out(JSON.stringify({ domains: rows }, null, 2));
      return;
    }
    if (!rows.length) {
      ctx.io.out("no τ² domains: pass --tau2-data DIR or run `ppol tau2 import DIR`");
      return 1;
    }
    for (const r of rows) {
      ctx.io.out(`${r.domain}  (${r.source})`);
      ctx.io.out(`  tasks ${r.tasks}  splits ${Object.entries(r.splits).map(([k, v]) => `${k} ${v}`).join(", ")}  tools ${r.tools}`);
      for (const [f, h] of Object.entries(r.sha256)) ctx.io.out(`  ${f.padEnd(16)} ${h}`);
    }
  },
});
