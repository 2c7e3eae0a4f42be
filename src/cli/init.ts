import { existsSync } from "node:fs";
import { renderDefaultToml } from "../config/index.ts";
import { UsageError } from "../errors.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { defineCommand } from "./command.ts";

export default defineCommand({
  name: "init",
  summary: "write a commented ppol.toml with every default",
  usage: "ppol init [--force] [--out FILE]",
  options: {
    force: { type: "boolean", description: "overwrite an existing file" },
    out: { type: "string", valueName: "FILE", description: "where to write (default ./ppol.toml)" },
  },
  examples: ["ppol init", "ppol init --out lab.toml && ppol --config lab.toml config show"],
  run(ctx) {
    const out = (ctx.values.out as string | undefined) ?? "ppol.toml";
    const path = resolvePath(ctx.cwd, out);
    if (existsSync(path) && !ctx.values.force) throw new UsageError(`${out} already exists`, "pass --force to overwrite it");
    writeFileAtomic(path, renderDefaultToml());
    ctx.io.out(`wrote ${out} — edit [endpoints.local] and the roles' model, then run \`ppol doctor\``);
  },
});
