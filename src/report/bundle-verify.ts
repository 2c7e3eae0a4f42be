/**
 * `ppol bundle verify`: first the bundle against its own manifest (every stored input and output, so a
 * changed τ² file, LLM answer or a removed episode is named), then a replay from the bundle alone: its
 * inputs (not its outputs) copied into a fresh archive, each run resumed through its stage with recorded
 * LLM answers only (dependencies first), and its outputs compared with the manifest's digests. The first
 * difference names the run, the item (episode, persona task, …) and the field.
 */
import { mkdirSync } from "node:fs";
import { InputError, PpolError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import type { PythonRuntime, RuntimeAssets, SandboxPool } from "../python/index.ts";
import { copyBundleRows, differingField, digestOf, getRun, inputState, listRuns, type OpenedBundle, openStore, type OutputDigest, outputDigest, outputRows, rowDigest, type Store } from "../store/index.ts";
import { BUNDLE_KINDS } from "./bundle-kinds.ts";

export interface Difference {
  run?: string;
  /** The item ("episodes/<id>", "persona_tasks/<task>", …) and the field that differ, when one does. */
  item?: string;
  field?: string;
  message: string;
}

export interface VerifyResult {
  run: string;
  kind: string;
  status: string;
  verified: boolean;
  difference?: Difference;
  /** Units replayed, and items checked against the manifest only (not replayable, or never finished). */
  replayed: number;
  items: number;
  /** Why a stage stopped early during the replay (the outputs decide whether that matches the original). */
  notes: string[];
}

export interface VerifyDeps {
  pool: (unsafe: boolean, spares: number) => SandboxPool;
  python: () => Promise<PythonRuntime>;
  sandbox: { assets: RuntimeAssets; cacheRoot: string };
  version: string;
  signal?: AbortSignal;
  /** A progress line for `total` units; tick per unit replayed. */
  progress?: (total: number) => { tick(): void; finish(): void };
}

const LABELS: Record<string, string> = {
  episodes: "episode",
  persona_tasks: "persona task",
  personas: "persona",
  evolve_runs: "evolve run",
  evolve_programs: "program",
  evolve_generations: "generation",
};

/** "episodes/<id>" → "episode <id>". */
function itemLabel(key: string): string {
  const [table, ...rest] = key.split("/");
  return `${LABELS[table!] ?? table} ${rest.join("/")}`.trim();
}

export async function verifyBundle(bundle: OpenedBundle, deps: VerifyDeps): Promise<VerifyResult> {
  const m = bundle.manifest;
  const main = m.runs.find((r) => r.id === m.run);
  if (!main) throw new InputError(`${bundle.path}: the manifest does not list its own run ${m.run}`, "create the bundle again with `ppol bundle create`");
  const items = Object.values(m.outputs).reduce((n, o) => n + Object.keys(o.items).length, 0);
  const result: VerifyResult = { run: m.run, kind: main.kind, status: main.status, verified: false, replayed: 0, items, notes: [] };
  const stored = checkStored(bundle);
  if (stored) return { ...result, difference: stored };
  // Runs another run made are recreated by that run's replay; the others are replayed, dependencies first.
  const roots = m.runs.filter((r) => !r.made_by);
  for (const r of roots) if (!BUNDLE_KINDS[r.kind as keyof typeof BUNDLE_KINDS]) throw new InputError(`${bundle.path}: run ${r.id} is a ${r.kind} run, which this ppol cannot replay`, "upgrade ppol");

  const scratch = openStore(bundle.scratchPath("replay.sqlite"));
  const cwd = bundle.scratchPath("cwd");
  mkdirSync(cwd);
  try {
    const inputs = { tau2: m.inputs.tau2, programs: m.inputs.programs.map((p) => p.sha256), sets: Object.keys(m.inputs.sets), discriminators: Object.keys(m.inputs.discriminators) };
    copyBundleRows(scratch, bundle.store.path, { runs: roots.map((r) => r.id), ...inputs, outputs: false, keepIds: true }, { immediate: true });
    const runs = roots.map((entry) => ({ entry, row: getRun(bundle.store, entry.id)!, kind: BUNDLE_KINDS[entry.kind as keyof typeof BUNDLE_KINDS]! }));
    const progress = deps.progress?.(runs.reduce((n, r) => n + r.kind.replayUnits(bundle.store, r.row), 0));
    const tick = () => (result.replayed++, progress?.tick());
    try {
      for (const { entry, row, kind } of runs) {
        const ctx = { scratch, bundle, manifest: m, entry, pool: deps.pool, python: deps.python, sandbox: deps.sandbox, version: deps.version, cwd, signal: deps.signal, tick };
        const note = await kind.replay(ctx, row);
        if (deps.signal?.aborted) throw new PpolError("verify interrupted", "run `ppol bundle verify` again", 1);
        if (note) result.notes.push(`${entry.id}: ${note}`);
        for (const made of [entry, ...m.runs.filter((r) => r.made_by === entry.id)]) {
          const difference = compareReplay(scratch, bundle.store, made.id, m.outputs[made.id]!);
          if (difference) return { ...result, difference: note ? { ...difference, message: `${difference.message} (the replay of ${entry.id} stopped: ${note})` } : difference };
        }
      }
    } finally {
      progress?.finish();
    }
    return { ...result, verified: true };
  } finally {
    scratch.close();
  }
}

/** The replayed outputs of one run against the manifest; the field is found by comparing with the stored row. */
function compareReplay(scratch: Store, bundle: Store, runId: string, expected: OutputDigest): Difference | undefined {
  const replayed = outputRows(scratch, runId);
  const storedRows = outputRows(bundle, runId);
  for (const [item, digest] of Object.entries(expected.items)) {
    const row = replayed.get(item);
    if (!row) return { run: runId, item, message: `${itemLabel(item)}: the replay did not produce it` };
    if (rowDigest(row) === digest) continue;
    const original = storedRows.get(item) ?? {};
    const field = differingField(row, original);
    const values = field ? ` (replay ${shown(row[field])}, original ${shown(original[field])})` : "";
    return { run: runId, item, ...(field ? { field } : {}), message: `${itemLabel(item)}: ${field ?? "its content"} differs between the replay and the manifest${values}` };
  }
  for (const item of replayed.keys()) if (!(item in expected.items)) return { run: runId, item, message: `${itemLabel(item)}: the replay produced it, the original run did not` };
  return undefined;
}

/** The bundle's stored rows against its manifest: runs, inputs, outputs, counts (first difference). */
function checkStored(bundle: OpenedBundle): Difference | undefined {
  const m = bundle.manifest;
  const store = bundle.store;
  for (const [id, o] of Object.entries(m.outputs)) if (digestOf(o.items) !== o.digest) return { run: id, message: `manifest: the output digest of run ${id} does not match its items` };
  if (digestOf(Object.fromEntries(Object.entries(m.outputs).map(([id, o]) => [id, o.digest]))) !== m.digest) return { message: "manifest: its overall digest does not match its runs" };

  const listed = new Set(m.runs.map((r) => r.id));
  for (const r of m.runs) {
    const row = getRun(store, r.id);
    if (!row) return { run: r.id, message: `run ${r.id} is missing from the bundle` };
    if (row.kind !== r.kind || sha256(row.config_json) !== r.config_sha256) return { run: r.id, message: `run ${r.id}: its stored plan and config differ from the manifest` };
  }
  const extra = listRuns(store).find((r) => !listed.has(r.id));
  if (extra) return { run: extra.id, message: `run ${extra.id} is in the bundle but not in its manifest` };

  const state = inputState(store);
  const tau2 = compareMaps(
    Object.fromEntries(m.inputs.tau2.flatMap((d) => Object.entries(d.files).map(([f, h]) => [`${d.name}/${f} (data ${d.data_hash.slice(0, 12)})`, h]))),
    Object.fromEntries(state.tau2.flatMap((d) => Object.entries(d.files).map(([f, h]) => [`${d.name}/${f} (data ${d.data_hash.slice(0, 12)})`, h]))),
  );
  if (tau2) return { message: `τ² file ${tau2.key}: ${tau2.what}` };
  const badProgram = state.programs.find((p) => p.stored !== p.sha256);
  if (badProgram) return { message: `generator program ${badProgram.stored.slice(0, 12)} (${badProgram.name}): its code does not hash to its sha256` };
  const programs = compareMaps(Object.fromEntries(m.inputs.programs.map((p) => [p.sha256, p.name])), Object.fromEntries(state.programs.map((p) => [p.sha256, p.name])));
  if (programs) return { message: `generator program ${programs.key.slice(0, 12)}: ${programs.what}` };
  const sets = compareMaps(m.inputs.sets, state.sets);
  if (sets) return { message: `conversation set ${sets.key}: ${sets.what}` };
  const discriminators = compareMaps(m.inputs.discriminators, state.discriminators);
  if (discriminators) return { message: `discriminator ${discriminators.key}: ${discriminators.what}` };
  const answers = compareMaps(m.inputs.llm.answers, state.llm.answers);
  if (answers) {
    const [run, role] = answers.key.split("/");
    // Answers other runs recorded and these reused are stored without a run (key "null/ROLE").
    return run === "null" ? { message: `reused LLM answers, role ${role}: ${answers.what}` } : { run, message: `LLM answers of run ${run}, role ${role}: ${answers.what}` };
  }
  if (state.llm.requests !== m.inputs.llm.requests) return { message: "stored LLM requests differ from the manifest" };
  if (state.llm.blobs !== m.inputs.llm.blobs) return { message: "stored LLM request texts (llm_blobs) differ from the manifest" };

  for (const r of m.runs) {
    const expected = m.outputs[r.id];
    if (!expected) return { run: r.id, message: `manifest: no output digest for run ${r.id}` };
    const diff = compareMaps(expected.items, outputDigest(store, r.id).items);
    if (diff) return { run: r.id, item: diff.key, message: `${itemLabel(diff.key)}: ${diff.what.replace("differs", "its stored content differs")}` };
  }
  const counts = compareMaps(Object.fromEntries(Object.entries(m.counts).map(([k, v]) => [k, String(v)])), Object.fromEntries(Object.entries(state.counts).map(([k, v]) => [k, String(v)])));
  if (counts) return { message: `${counts.key} rows: ${counts.what}` };
  return undefined;
}

/** A field's value when it is short enough to print (long ones, e.g. transcripts, are named only). */
const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? "null";
  return text.length <= 60 ? text : `${text.length} characters`;
};

const short = (v: string) => (/^[0-9a-f]{64}$/.test(v) ? `sha256 ${v.slice(0, 12)}…` : v);

/** The first key whose value differs between the manifest's map and the bundle's. */
function compareMaps(expected: Record<string, string>, actual: Record<string, string>): { key: string; what: string } | undefined {
  for (const [key, value] of Object.entries(expected)) {
    if (!(key in actual)) return { key, what: "missing from the bundle" };
    if (actual[key] !== value) return { key, what: `differs from the manifest (manifest ${short(value)}, bundle ${short(actual[key]!)})` };
  }
  const extra = Object.keys(actual).find((k) => !(k in expected));
  return extra === undefined ? undefined : { key: extra, what: "in the bundle but not in the manifest" };
}
