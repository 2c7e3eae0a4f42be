/**
 * `ppol bundle create`: one run, the runs it read, every LLM request and answer they made and every
 * input they read, copied into a new archive with a manifest of input hashes and output digests, then
 * packed (see store/bundle-format.ts). A running run is refused; a finished, interrupted or failed one is
 * bundled as it is.
 */
import { InputError } from "../errors.ts";
import {
  BUNDLE_FORMAT,
  type BundleManifest,
  copyBundleRows,
  digestOf,
  getRun,
  inputState,
  listTau2Domains,
  newBundleArchive,
  outputDigest,
  packBundle,
  type RunRow,
  SCHEMA_VERSION,
  type Store,
  saveTau2Domain,
  writeManifest,
} from "../store/index.ts";
import { readDomainImports } from "../tau2/index.ts";
import type { RunInputs } from "./bundle-entry.ts";
import { BUNDLE_KINDS } from "./bundle-kinds.ts";

export interface CreateBundleOptions {
  /** The τ² data folder the run used, for data the archive does not hold (`--tau2-data`). */
  tau2Dir?: string;
  ppol: { version: string; commit: string; pyodide: string; sqlite: string };
  now: Date;
}

export interface CreatedBundle {
  bytes: Uint8Array;
  manifest: BundleManifest;
  warnings: string[];
}

export function createBundle(store: Store, runId: string, opts: CreateBundleOptions): CreatedBundle {
  const order = runsToBundle(store, runId);
  const ids = order.map((o) => o.run.id);
  const tau2 = uniqueBy(order.flatMap((o) => o.inputs.tau2), (d) => `${d.name}:${d.data_hash}`);
  const held = new Set(listTau2Domains(store).map((d) => `${d.name}:${d.data_hash}`));
  const fromArchive = tau2.filter((d) => held.has(`${d.name}:${d.data_hash}`));
  // LLM calls of a personas run made inside a simulate run that is not bundled travel as the personas run's.
  const adopt = order.flatMap(({ run, inputs }) => (inputs.generatedBy && !ids.includes(inputs.generatedBy.id) ? [{ from: inputs.generatedBy.id, to: run.id, role: "generator" }] : []));
  const target = newBundleArchive();
  try {
    const bundle = target.store;
    const all = <K extends "programs" | "sets" | "discriminators">(key: K) => [...new Set(order.flatMap((o) => o.inputs[key] ?? []))];
    copyBundleRows(bundle, store.path, { runs: ids, adopt, tau2: fromArchive, programs: all("programs"), sets: all("sets"), discriminators: all("discriminators"), outputs: true, keepIds: true }, { immediate: false });
    const missing = tau2.filter((d) => !held.has(`${d.name}:${d.data_hash}`));
    if (missing.length) addTau2FromFolder(bundle, missing, store.path, opts);
    for (const { run, madeBy } of order) if (!madeBy) BUNDLE_KINDS[run.kind]!.check?.(bundle, run);
    const manifest = buildManifest(bundle, runId, order, opts);
    writeManifest(bundle, manifest);
    return { bytes: packBundle(bundle), manifest, warnings: order.flatMap((o) => o.inputs.warnings) };
  } finally {
    target.dispose();
  }
}

type Bundled = { run: RunRow; inputs: RunInputs; madeBy?: string };

/**
 * The run and, before it, every run it depends on (each refused if running or of a kind ppol cannot
 * bundle); after each, the runs it made, as its outputs.
 */
function runsToBundle(store: Store, runId: string): Bundled[] {
  const order: Bundled[] = [];
  const visit = (id: string, from?: string) => {
    if (order.some((o) => o.run.id === id)) return;
    const run = getRun(store, id);
    if (!run) throw new InputError(from ? `run ${from} depends on run ${id}, which is not in ${store.path}` : `no run "${id}" in ${store.path}`, "list the runs with `ppol runs`");
    if (run.status === "running") throw new InputError(`run ${id} is still running`, "bundle it once it has finished or been stopped (Ctrl-C marks it interrupted)");
    const parent = !from && run.parent_id ? getRun(store, run.parent_id) : undefined;
    if (parent?.kind === "evolve") throw new InputError(`run ${id} is an evaluation of evolve run ${parent.id}: it replays only as part of that run`, `bundle the evolve run: ppol bundle create ${parent.id} --out FILE.ppol`);
    const kind = BUNDLE_KINDS[run.kind];
    if (!kind) throw new InputError(`run ${id} is a ${run.kind} run, which ppol cannot bundle yet`, "bundle a simulate or personas run");
    const inputs = kind.inputs(store, run);
    for (const dep of inputs.dependsOn) visit(dep, id);
    order.push({ run, inputs });
    for (const child of inputs.children ?? []) order.push({ run: getRun(store, child)!, inputs: { dependsOn: [], tau2: [], programs: [], hashes: {}, warnings: [] }, madeBy: id });
  };
  visit(runId);
  return order;
}

/** τ² data the archive lacks, from the data folder, stored as `ppol tau2 import` stores it. */
function addTau2FromFolder(bundle: Store, missing: { name: string; data_hash: string }[], archive: string, opts: CreateBundleOptions) {
  const first = missing[0]!;
  if (!opts.tau2Dir)
    throw new InputError(`the run used τ² ${first.name} data ${first.data_hash.slice(0, 12)}, which ${archive} does not hold`, "pass the folder it ran with (--tau2-data DIR or TAU2_DATA_DIR), or `ppol tau2 import DIR` it once");
  const imports = readDomainImports(opts.tau2Dir);
  for (const d of missing) {
    const found = imports.find((i) => i.domain.name === d.name && i.domain.hashes.data === d.data_hash);
    if (!found) throw new InputError(`--tau2-data ${opts.tau2Dir}: its ${d.name} data is not the ${d.data_hash.slice(0, 12)} the run used`, "pass the folder the run used");
    saveTau2Domain(bundle, { name: d.name, dataHash: d.data_hash, source: opts.tau2Dir, now: opts.now, files: found.files });
  }
}

function buildManifest(bundle: Store, runId: string, order: Bundled[], opts: CreateBundleOptions): BundleManifest {
  const state = inputState(bundle);
  const outputs = Object.fromEntries(order.map(({ run }) => [run.id, outputDigest(bundle, run.id)]));
  return {
    format: BUNDLE_FORMAT,
    created_at: opts.now.toISOString(),
    ppol: { ...opts.ppol, schema_version: SCHEMA_VERSION },
    run: runId,
    runs: order.map(({ run, inputs, madeBy }) => ({
      id: run.id,
      kind: run.kind,
      status: run.status,
      seed: run.seed,
      created_at: run.created_at,
      depends_on: inputs.dependsOn,
      config_sha256: state.configs[run.id]!,
      inputs: inputs.hashes,
      ...(inputs.generatedBy ? { llm_config: JSON.parse(inputs.generatedBy.config_json).config } : {}),
      ...(madeBy ? { made_by: madeBy } : {}),
    })),
    inputs: { tau2: state.tau2, programs: state.programs.map((p) => ({ sha256: p.sha256, name: p.name })), sets: state.sets, discriminators: state.discriminators, llm: state.llm },
    counts: state.counts,
    outputs,
    digest: digestOf(Object.fromEntries(Object.entries(outputs).map(([id, o]) => [id, o.digest]))),
  };
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((t) => [key(t), t])).values()];
}
