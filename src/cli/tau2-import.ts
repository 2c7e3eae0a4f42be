import { resolvePath } from "../files.ts";
import { DOMAIN_FILES, DOMAIN_NAMES, TOOL_SCHEMAS_FILE, USER_GUIDELINES_FILE } from "../tau2/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";
import { importDomains } from "./tau2-args.ts";

export default defineCommand({
  name: "tau2 import",
  summary: "validate a τ² data directory and store its domains (with sha256) in the archive",
  usage: "ppol tau2 import DIR [--json]",
  description:
    `DIR is laid out like upstream's data/tau2/domains: DIR/<domain>/{${DOMAIN_FILES.join(",")}} for ${DOMAIN_NAMES.join(" and ")}. ` +
    `Also stored when present: upstream's user-simulator guidelines DIR/../${USER_GUIDELINES_FILE} (runs then give them to the user simulator verbatim, as τ² does) ` +
    `and a tool schema dump ${TOOL_SCHEMAS_FILE} in DIR or beside it (runs then show it to the agent, as --tool-schemas does). ` +
    "Every file is validated before anything is stored; later runs without --tau2-data use the newest import.",
  options: { ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "DIR" },
  examples: ["ppol tau2 import ../shared/tau2/domains", "ppol --db lab.sqlite tau2 import ~/tau2-bench/data/tau2/domains"],
  run(ctx) {
    const dir = resolvePath(ctx.cwd, ctx.positionals[0]!);
    const domains = importDomains(ctx.store(), dir, new Date());
    const rows = domains.map((d) => ({
      domain: d.name,
      tasks: d.tasks.length,
      data_sha256: d.hashes.data,
      user_guidelines_sha256: d.userGuidelines?.sha256 ?? null,
      tool_schemas_sha256: d.toolSchemaFile?.sha256 ?? null,
    }));
    if (ctx.values.json) ctx.io.out(JSON.stringify({ source: dir, imported: rows }, null, 2));
    else
      for (const r of rows) {
        const extras = [r.user_guidelines_sha256 && `user guidelines sha256 ${r.user_guidelines_sha256}`, r.tool_schemas_sha256 && `tool schemas sha256 ${r.tool_schemas_sha256}`].filter(Boolean);
        ctx.io.out(`imported ${r.domain}: ${r.tasks} tasks, data sha256 ${r.data_sha256}${extras.length ? `; ${extras.join(", ")}` : ""}`);
      }
  },
});
