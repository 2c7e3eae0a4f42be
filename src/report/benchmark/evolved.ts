/** The program of the ppol-evolved condition: an evolve run's final choice, or a Python file. */
import { InputError } from "../../errors.ts";
import { loadProgram, type Program } from "../../personas/index.ts";
import { getEvolveBootstrap, getEvolveRun, getRun, listEvolvePrograms, type Store } from "../../store/index.ts";

export function evolvedProgram(store: Store, spec: string, cwd: string): Program {
  const run = getRun(store, spec);
  if (!run) return loadProgram(spec, cwd);
  if (run.kind !== "evolve") throw new InputError(`--evolved ${spec}: that is a ${run.kind} run, not an evolve run`, "pass an evolve run id or a .py program");
  const finalId = getEvolveRun(store, spec)?.final_id;
  if (!finalId) throw new InputError(`--evolved ${spec}: the run has no chosen program yet (status ${run.status})`, `finish it with \`ppol evolve --resume ${spec}\`, or pass a .py program`);
  const program = listEvolvePrograms(store, spec).find((p) => p.id === finalId);
  if (!program) throw new InputError(`--evolved ${spec}: its chosen program ${finalId} is missing from the archive`);
  return { code: program.code, filename: `${spec}-${finalId}.py`, name: `${spec}:${finalId}` };
}

/** The discriminator an evolve run scored with (its own bootstrap or the one it was given). */
export function evolveDiscriminator(store: Store, runId: string): string | undefined {
  return getEvolveBootstrap(store, runId)?.discriminator_id;
}
