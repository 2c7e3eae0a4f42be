import { InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { SEED_PROGRAMS } from "../personas/index.ts";
import { exportProgram } from "../report/index.ts";
import { findPersonaPrograms, getRun, runProgramShas, type Store } from "../store/index.ts";
import { defineCommand, str } from "./command.ts";

/** A stored program by sha256 (or a prefix of ≥ 8 characters), by the personas run that used it, or a seed. */
function findProgram(store: Store, spec: string): { label: string; code: string } {
  if (spec.startsWith("seed:")) {
    const seed = SEED_PROGRAMS[spec.slice(5)];
    if (!seed) throw new InputError(`unknown seed program "${spec}"`, `seeds: ${Object.keys(SEED_PROGRAMS).map((s) => `seed:${s}`).join(", ")}`);
    return { label: spec, code: seed.code };
  }
  if (getRun(store, spec)) {
    const shas = runProgramShas(store, spec);
    if (shas.length !== 1) throw new InputError(`run "${spec}" ${shas.length ? `used ${shas.length} programs` : "has no stored program"}`, shas.length ? `pass one sha256: ${shas.map((s) => s.slice(0, 12)).join(", ")}` : "programs are stored by personas runs");
    spec = shas[0]!;
  }
  if (!/^[0-9a-f]{8,64}$/i.test(spec)) throw new InputError(`"${spec}" is neither a personas run nor a program sha256`, "pass a run id, a sha256 (or its first 8+ characters) or seed:NAME");
  const found = findPersonaPrograms(store, spec);
  if (found.length !== 1) throw new InputError(found.length ? `sha256 prefix "${spec}" matches ${found.length} programs` : `no stored program with sha256 ${spec}`, found.length ? "give more characters" : "list runs with `ppol archive info`");
  return { label: `${found[0]!.sha256.slice(0, 12)} (${found[0]!.name})`, code: found[0]!.code };
}

export default defineCommand({
  name: "export program",
  summary: "write a stored generator program as its Python file",
  usage: "ppol export program SHA256|RUN|seed:NAME --out FILE.py",
  description: "The exact program text the archive holds (persona_programs), found by its sha256 (8+ leading characters suffice), by the personas run that used it, or a shipped seed.",
  options: { out: { type: "string", valueName: "FILE.py", description: "output file (its folder must exist)" } },
  positionals: { min: 1, max: 1, names: "SHA256|RUN|seed:NAME" },
  examples: ["ppol export program 3f2a9c41 --out best.py", "ppol export program pers-20261201-ab12cd34 --out used.py"],
  run(ctx) {
    const out = str(ctx.values, "out");
    if (!out) throw new UsageError("export program: --out is required", "e.g. --out program.py");
    const program = findProgram(ctx.store(), ctx.positionals[0]!);
    const lines = exportProgram(program.code, resolvePath(ctx.cwd, out));
    ctx.io.out(`wrote program ${program.label} (${lines} lines) to ${out}`);
  },
});
