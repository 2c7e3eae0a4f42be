/**
 * `ppol bundle import`: merge a bundle's runs into an archive. A run already there with the same plan
 * and outputs is left as it is (importing twice changes nothing); one with the same id but other content
 * is refused before anything is written.
 */
import { InputError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { copyBundleRows } from "./bundle-copy.ts";
import { inputState, outputDigest } from "./bundle-digest.ts";
import type { OpenedBundle } from "./bundle-format.ts";
import type { Store } from "./db.ts";
import { getRun } from "./runs.ts";

export function importBundle(target: Store, bundle: OpenedBundle): { imported: string[]; present: string[] } {
  const { manifest } = bundle;
  // Sets are named, not content-addressed: a same-named set must be the same set.
  const theirs = inputState(target).sets;
  for (const [name, digest] of Object.entries(manifest.inputs.sets))
    if (theirs[name] !== undefined && theirs[name] !== digest) throw new InputError(`conversation set "${name}" is already in ${target.path} with other conversations`, "import the bundle into another archive (--db)");
  const present: string[] = [];
  const imported: string[] = [];
  for (const run of manifest.runs) {
    const existing = getRun(target, run.id);
    if (!existing) {
      imported.push(run.id);
      continue;
    }
    const same = existing.kind === run.kind && sha256(existing.config_json) === run.config_sha256 && outputDigest(target, run.id).digest === manifest.outputs[run.id]?.digest;
    if (!same) throw new InputError(`run ${run.id} is already in ${target.path} with different content`, "import the bundle into another archive (--db), or compare the two with `ppol run show`");
    present.push(run.id);
  }
  if (imported.length)
    copyBundleRows(
      target,
      bundle.store.path,
      { runs: imported, tau2: manifest.inputs.tau2, programs: manifest.inputs.programs.map((p) => p.sha256), sets: Object.keys(manifest.inputs.sets), discriminators: Object.keys(manifest.inputs.discriminators), outputs: true, keepIds: false },
      { immediate: true },
    );
  return { imported, present };
}
