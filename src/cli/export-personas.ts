import { extname } from "node:path";
import { closest, InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { exportPersonas, PERSONA_FORMATS, type PersonaFormat } from "../report/index.ts";
import { getRun, listPersonas } from "../store/index.ts";
import { defineCommand, str } from "./command.ts";

export default defineCommand({
  name: "export personas",
  summary: "write a personas run's personas as JSONL or CSV",
  usage: "ppol export personas RUN --out FILE.jsonl|FILE.csv [--format jsonl|csv]",
  description: "One persona a line (JSONL) or row (CSV): run_id, task_id, idx, persona_id, description, axis_placement, reasoning, expanded_instruction. The format follows the file extension unless --format is given.",
  options: {
    out: { type: "string", valueName: "FILE", description: "output file (its folder must exist)" },
    format: { type: "string", valueName: PERSONA_FORMATS.join("|"), description: "default: from the --out extension, else jsonl" },
  },
  positionals: { min: 1, max: 1, names: "RUN" },
  examples: ["ppol export personas pers-20261201-ab12cd34 --out personas.csv"],
  run(ctx) {
    const runId = ctx.positionals[0]!;
    const out = str(ctx.values, "out");
    if (!out) throw new UsageError("export personas: --out is required", "e.g. --out personas.jsonl");
    const format = (str(ctx.values, "format") ?? (extname(out).toLowerCase() === ".csv" ? "csv" : "jsonl")) as PersonaFormat;
    if (!PERSONA_FORMATS.includes(format)) {
      const hint = closest(format, PERSONA_FORMATS);
      throw new UsageError(`export personas: unknown --format "${format}"${hint ? ` (did you mean "${hint}"?)` : ""}`, `use ${PERSONA_FORMATS.join(" or ")}`);
    }
    const store = ctx.store();
    if (getRun(store, runId)?.kind !== "personas") throw new InputError(`no personas run "${runId}" in ${store.path}`, "list runs with `ppol archive info`");
    const n = exportPersonas(listPersonas(store, runId), resolvePath(ctx.cwd, out), format);
    ctx.io.out(`wrote ${n} personas of run ${runId} to ${out} (${format})`);
  },
});
