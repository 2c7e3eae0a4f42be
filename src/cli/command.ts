import type { ResolvedConfig } from "../config/index.ts";
import { UsageError } from "../errors.ts";
import type { PythonRuntime, RuntimeAssets } from "../python/index.ts";
import type { Store } from "../store/index.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Shown in --help; say what it does and its default. */
  description: string;
  /** Placeholder in --help, e.g. "FILE". */
  valueName?: string;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: progress bars and colours are allowed. */
  isTTY: boolean;
  color: boolean;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  /** Parsed option values, keyed by long option name (e.g. "tau2-data"). */
  values: OptionValues;
  positionals: string[];
  io: Io;
  env: Record<string, string | undefined>;
  cwd: string;
  verbose: boolean;
  /** The effective config (defaults < ppol.toml < env < flags), loaded on first use. */
  config(): ResolvedConfig;
  /** The archive at the configured --db path, migrated; closed when the command ends. */
  store(): Store;
  /** Where the Python runtime files come from (node_modules from source, embedded in the binary). */
  pythonAssets: RuntimeAssets;
  /** The cache root for the unpacked runtime and its snapshot ($PPOL_CACHE, XDG cache, …). */
  cacheRoot: string;
  /** The embedded Python runtime, booted on first use (from the memory snapshot when present). */
  python(): Promise<PythonRuntime>;
  /** Aborted on the first Ctrl-C / SIGTERM: long work stops taking new items and saves what it has. */
  signal: AbortSignal;
  /** Runs when the command ends (also on error and SIGINT). */
  onExit(cleanup: () => void | Promise<void>): void;
}

export interface Command {
  /** One or two words: "doctor", "tau2 import". */
  name: string;
  summary: string;
  usage: string;
  /** Longer explanation for `ppol NAME --help`. */
  description?: string;
  options?: Record<string, OptionSpec>;
  positionals?: { min: number; max: number; names: string };
  examples: string[];
  /** Resolves to the exit code (default 0). Throw PpolError subclasses for failures. */
  run(ctx: CommandContext): Promise<number | void> | number | void;
}

export const defineCommand = (command: Command): Command => command;

/** The --json flag, for commands that report. */
export const JSON_OPTION: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print one JSON document instead of tables" },
};

/** --unsafe-sandbox, for commands that run generator programs. */
export const UNSAFE_OPTION: Record<string, OptionSpec> = {
  "unsafe-sandbox": { type: "boolean", description: "run untrusted programs even where the OS offers no confinement (recorded)" },
};

export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** A whole-number flag: absent → `fallback`; otherwise an integer in [min, max], else a usage error naming it. */
export function intFlag(values: OptionValues, name: string, opts: { fallback: number; min?: number; max?: number }): number {
  const raw = str(values, name);
  if (raw === undefined) return opts.fallback;
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = opts;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name}: "${raw}" is not a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`}`, `e.g. --${name} ${opts.fallback}`);
  return n;
}

/** A positive-number flag (limits, budgets): absent → undefined. */
export function positiveFlag(values: OptionValues, name: string): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name}: "${raw}" is not a positive number`);
  return n;
}
