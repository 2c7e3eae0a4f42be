import { loadProgram, staticCheck } from "../personas/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";

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
    const program = loadProgram(ctx.positionals[0]!, ctx.cwd);
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
