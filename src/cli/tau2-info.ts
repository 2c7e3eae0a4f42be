import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { userGuidelinesFor } from "../sim/index.ts";
import { agentTools, DOMAIN_NAMES, type Domain } from "../tau2/index.ts";
import { listTau2Domains } from "../store/index.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { domainFrom, tau2DataDir } from "./tau2-args.ts";

export default defineCommand({
  name: "tau2 info",
  summary: "list τ² domains, task counts per split, data hashes, and the user guidelines and tool schemas runs use",
  usage: "ppol tau2 info [--tau2-data DIR] [--tool-schemas FILE] [--json]",
  description:
    "Reads --tau2-data / TAU2_DATA_DIR / defaults.tau2_data when set, else the domains imported into the archive. " +
    "Shows which user-simulator guidelines runs give the user (upstream's simulation_guidelines.md when the data has it, else ppol's paraphrase) " +
    "and which tool schemas the agent sees (the data's tool_schemas.json if any, else ppol's own), each with its sha256. " +
    "With --tool-schemas, also checks that FILE (e.g. upstream's tool_schemas.json) describes every tool of each domain.",
  options: {
    ...JSON_OPTION,
    "tool-schemas": { type: "string", valueName: "FILE", description: "OpenAI tool schemas to present instead of ppol's own (checked against each domain)" },
  },
  examples: ["ppol tau2 info --tau2-data ../shared/tau2/domains", "ppol tau2 info --json"],
  run(ctx) {
    const dir = tau2DataDir(ctx);
    const stored = dir ? [] : listTau2Domains(ctx.store()).map((r) => r.name);
    const names = DOMAIN_NAMES.filter((n) => (dir ? existsSync(join(dir, n)) : stored.includes(n)));
    const domains: Domain[] = names.map((n) => domainFrom(() => ctx.store(), dir, n));
    const schemaFile = str(ctx.values, "tool-schemas");
    let schemaText: string | undefined;
    if (schemaFile) {
      try {
        schemaText = readFileSync(resolvePath(ctx.cwd, schemaFile), "utf8");
      } catch (e) {
        throw new InputError(`${schemaFile}: cannot read (${(e as Error).message})`, "pass an existing JSON file of OpenAI tool schemas");
      }
    }
    const rows = domains.map((d) => {
      const tools = agentTools(d, schemaText === undefined ? undefined : { text: schemaText, path: schemaFile! });
      const guidelines = userGuidelinesFor(d);
      return {
        domain: d.name,
        source: dir ? join(dir, d.name) : "archive",
        tasks: d.tasks.length,
        splits: Object.fromEntries(Object.entries(d.splits).map(([k, v]) => [k, v.length])),
        tools: d.toolkit.tools.length,
        tool_schemas: { source: tools.source, sha256: tools.sha256, tools: tools.schemas.length },
        user_guidelines: { name: guidelines.name, source: d.userGuidelines?.source ?? "ppol", sha256: guidelines.sha256 },
        sha256: d.hashes,
      };
    });
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
      ctx.io.out(`  user guidelines  ${r.user_guidelines.name}  sha256 ${r.user_guidelines.sha256}  (${r.user_guidelines.source})`);
      ctx.io.out(`  tool schemas     ${r.tool_schemas.source}${r.tool_schemas.sha256 ? `  sha256 ${r.tool_schemas.sha256}` : ""}  (${r.tool_schemas.tools} tools)`);
      for (const [f, h] of Object.entries(r.sha256)) ctx.io.out(`  ${f.padEnd(16)} ${h}`);
    }
  },
});
