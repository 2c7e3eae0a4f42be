import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../errors.ts";
import { SEED_PROGRAMS, staticCheck } from "../personas/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";

/** A program argument: a file, or `seed:ppol` / `seed:dp` for the programs shipped in ppol. */
export function readProgram(arg: string, cwd: string): { code: string; filename: string; name: string } {
  if (arg.startsWith("seed:")) {
    const seed = SEED_PROGRAMS[arg.slice(5)];
    if (!seed) throw new InputError(`${arg}: no such seed program`, `use one of: ${Object.keys(SEED_PROGRAMS).map((s) => `seed:${s}`).join(", ")}`);
    return { code: seed.code, filename: seed.filename, name: arg };
  }
  const path = resolve(cwd, arg);
  if (!existsSync(path)) throw new InputError(`${arg}: no such file`);
  try {
    return { code: readFileSync(path, "utf8"), filename: arg.split("/").pop()!, name: arg };
  } catch (error) {
    throw new InputError(`${arg}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
}

export default defineCommand({
  name: "generator check",
  summary: "check a persona generator program without running it",
  usage: "ppol generator check FILE.py|seed:ppol|seed:dp [--json]",
  description:
    "Static checks, no LLM and no execution: the file parses (Python's own parser), defines DIVERSITY_AXES\n" +
    "and generate_personas_detailed(c, axes, n) at the top level, a literal DIVERSITY_AXES has the axis\n" +
    "shape, and the evolvable region is marked with # EVOLVE-BLOCK-START / # EVOLVE-BLOCK-END.\n" +
    "Exit 0 when the program passes, 1 when it has errors, 2 when the file cannot be read.",
  options: { ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "FILE.py" },
  examples: ["ppol generator check my_generator.py", "ppol generator check seed:ppol --json"],
  async run(ctx) {
    const program = readProgram(ctx.positionals[0]!, ctx.cwd);
    const report = await staticCheck(program.code, await ctx.python());
    if (ctx.values.json) ctx.io.out(JSON.stringify({ program: program.name, ...report }));
    else {
      for (const e of report.errors) ctx.io.out(`error   ${program.name}${e.line ? `:${e.line}` : ""}: ${e.message}`);
      for (const w of report.warnings) ctx.io.out(`warning ${program.name}${w.line ? `:${w.line}` : ""}: ${w.message}`);
      if (report.ok) ctx.io.out(`${program.name}: ok${report.axes ? ` (${report.axes.length} axes: ${report.axes.map((a) => a.behavior).join(", ")})` : ""}`);
    }
    return report.ok ? 0 : 1;
  },
});
