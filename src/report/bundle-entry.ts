/** What `ppol bundle` needs of a run kind (src/report/bundle-kinds.ts lists the kinds that have one). */
import { InputError } from "../errors.ts";
import type { PythonRuntime, RuntimeAssets, SandboxPool } from "../python/index.ts";
import { type BundleManifest, type BundleRun, loadTau2Domain, type OpenedBundle, type RunRow, type Store } from "../store/index.ts";
import { checkDomainName, type Domain, loadDomainFiles } from "../tau2/index.ts";

/** What a run read, found in the archive it is bundled from. */
export interface RunInputs {
  /** Runs it read (bundled with it and replayed before it). */
  dependsOn: string[];
  /** Runs it made (an evolve run's evaluations): bundled as its outputs, recreated by its replay. */
  children?: string[];
  tau2: { name: string; data_hash: string }[];
  programs: string[];
  /** Human reference sets (names) and discriminators (ids). */
  sets?: string[];
  discriminators?: string[];
  /** The simulate run that made this personas run's LLM calls (its persona phase), if any. */
  generatedBy?: RunRow;
  /** Hashes of what it read, by name, for the manifest. */
  hashes: Record<string, string>;
  warnings: string[];
}

export interface ReplayContext {
  /** The replay archive: the bundle's inputs, none of its outputs. */
  scratch: Store;
  bundle: OpenedBundle;
  manifest: BundleManifest;
  entry: BundleRun;
  pool: (unsafe: boolean, spares: number) => SandboxPool;
  /** For stages that make their own sandbox pool and parse programs (evolve). */
  python: () => Promise<PythonRuntime>;
  sandbox: { assets: RuntimeAssets; cacheRoot: string };
  version: string;
  /** A folder with nothing in it (where an old plan would look for a personas file). */
  cwd: string;
  signal?: AbortSignal;
  /** One unit (episode, persona task, program) replayed. */
  tick(): void;
}

export interface BundleKind {
  inputs(store: Store, run: RunRow): RunInputs;
  /** After the bundle holds its inputs: can the run be replayed from them alone? (throws InputError) */
  check?(bundle: Store, run: RunRow): void;
  /** Units the replay will redo, for the progress line. */
  replayUnits(bundle: Store, run: RunRow): number;
  /** Replay the run in ctx.scratch; returns why the stage stopped early, if it did. */
  replay(ctx: ReplayContext, run: RunRow): Promise<string | undefined>;
}

/** The τ² domain a bundle (or a replay archive) holds: one import per domain, the data its run read. */
export function bundledDomain(store: Store, name: string): Domain {
  const domain = checkDomainName(name);
  const stored = loadTau2Domain(store, domain);
  if (!stored) throw new InputError(`the bundle holds no τ² data for ${domain}`, "create the bundle again with `ppol bundle create`");
  return loadDomainFiles(domain, stored.files, `bundle:${stored.row.source}`);
}
