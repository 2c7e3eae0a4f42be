/** A generator program named the way users name it: a shipped seed (`seed:ppol`) or a Python file. */
import { existsSync, readFileSync } from "node:fs";
import { InputError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import DP_BASELINE from "./seed/dp_baseline.py" with { type: "text" };
import PPOL_SEED from "./seed/ppol_seed.py" with { type: "text" };

export interface Program {
  code: string;
  filename: string;
  /** How the user named it (seed:ppol, path/to/file.py). */
  name: string;
}

/** Programs shipped inside the binary, addressable as `--program seed:NAME`. */
export const SEED_PROGRAMS: Readonly<Record<string, { filename: string; code: string }>> = {
  ppol: { filename: "ppol_seed.py", code: PPOL_SEED },
  dp: { filename: "dp_baseline.py", code: DP_BASELINE },
};

export function loadProgram(spec: string, cwd: string): Program {
  if (spec.startsWith("seed:")) {
    const seed = SEED_PROGRAMS[spec.slice(5)];
    if (!seed) throw new InputError(`${spec}: no such seed program`, `use one of: ${Object.keys(SEED_PROGRAMS).map((s) => `seed:${s}`).join(", ")}`);
    return { code: seed.code, filename: seed.filename, name: spec };
  }
  const path = resolvePath(cwd, spec);
  if (!existsSync(path)) throw new InputError(`${spec}: no such file`, "give a .py generator program or seed:ppol / seed:dp");
  try {
    return { code: readFileSync(path, "utf8"), filename: spec.split("/").pop()!, name: spec };
  } catch (error) {
    throw new InputError(`${spec}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
}
