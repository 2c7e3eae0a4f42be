import { existsSync, readFileSync } from "node:fs";
import type { z } from "zod";
import { closest, InputError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { Config, EndpointConfig, ROLE_NAMES, roleConfig } from "./schema.ts";

/** Where a value came from, lowest precedence first: default < file < env < flag. */
export type Source = "default" | `file:${string}` | `env:${string}` | `flag:${string}`;

export interface ResolvedConfig {
  config: Config;
  /** Leaf path ("defaults.db") → where its effective value came from. */
  sources: Record<string, Source>;
  /** The config file that was read, if any. */
  file?: string;
}

/** Flags that override config values; each maps to the config path it sets. */
export interface ConfigFlags {
  config?: string;
  db?: string;
  endpoint?: string;
  model?: string;
  llmCache?: string;
  seed?: string;
  tau2Data?: string;
}

/** Environment variables ppol reads, and the config path each one sets (documented in README). */
export const ENV_VARS = {
  PPOL_DB: "defaults.db",
  PPOL_LLM_CACHE: "defaults.llm_cache",
  PPOL_SEED: "defaults.seed",
  TAU2_DATA_DIR: "defaults.tau2_data",
  PPOL_CONCURRENCY: "defaults.concurrency",
} as const;

const NUMERIC_PATHS = new Set(["defaults.seed", "defaults.concurrency"]);

/**
 * Resolve the effective config: built-in defaults, then ppol.toml (--config, PPOL_CONFIG or ./ppol.toml),
 * then PPOL_* variables, then flags. --endpoint/PPOL_ENDPOINT and --model/PPOL_MODEL set every role at once.
 */
export function loadConfig(opts: { cwd: string; env: Record<string, string | undefined>; flags?: ConfigFlags }): ResolvedConfig {
  const { cwd, env, flags = {} } = opts;
  const raw: Record<string, any> = {};
  const sources: Record<string, Source> = {};

  const explicitFile = flags.config ?? env.PPOL_CONFIG;
  const file = explicitFile ? resolvePath(cwd, explicitFile) : existsSync(resolvePath(cwd, "ppol.toml")) ? resolvePath(cwd, "ppol.toml") : undefined;
  if (file) {
    const parsed = readToml(file, explicitFile !== undefined);
    Object.assign(raw, parsed);
    for (const path of leafPaths(parsed)) sources[path] = `file:${file}`;
  }

  const set = (path: string, value: string, source: Source) => {
    setPath(raw, path, NUMERIC_PATHS.has(path) && /^-?\d+$/.test(value) ? Number(value) : value);
    sources[path] = source;
  };
  for (const [name, path] of Object.entries(ENV_VARS)) if (env[name]) set(path, env[name]!, `env:${name}`);
  const flagPaths: [keyof ConfigFlags, string, string][] = [
    ["db", "defaults.db", "--db"],
    ["llmCache", "defaults.llm_cache", "--llm-cache"],
    ["seed", "defaults.seed", "--seed"],
    ["tau2Data", "defaults.tau2_data", "--tau2-data"],
  ];
  for (const [key, path, flag] of flagPaths) if (flags[key] !== undefined) set(path, flags[key]!, `flag:${flag}`);

  const config = validate(raw, file);
  applyEverywhere(config, sources, flags.endpoint ?? env.PPOL_ENDPOINT, flags.endpoint ? "flag:--endpoint" : "env:PPOL_ENDPOINT", flags.model ?? env.PPOL_MODEL, flags.model ? "flag:--model" : "env:PPOL_MODEL");
  for (const path of leafPaths(config)) sources[path] ??= "default";
  return { config, sources, file };
}

/** --endpoint/--model: one endpoint and one model for every role, for one-command use. */
function applyEverywhere(config: Config, sources: Record<string, Source>, endpoint: string | undefined, endpointSource: Source, model: string | undefined, modelSource: Source) {
  if (endpoint) {
    const parsed = EndpointConfig.safeParse({ base_url: endpoint });
    if (!parsed.success) throw new InputError(`${endpointSource.replace(/^\w+:/, "")}: "${endpoint}" is not an http(s) URL`, "give the server's base URL, e.g. http://127.0.0.1:11434/v1");
    config.endpoints.cli = parsed.data;
    sources["endpoints.cli.base_url"] = endpointSource;
  }
  if (!endpoint && !model) return;
  for (const role of ROLE_NAMES) {
    const current = roleConfig(config, role);
    const targets = endpoint ? [{ endpoint: "cli", model: current.targets[0]!.model, weight: 1 }] : current.targets;
    config.roles[role] = { ...current, targets: targets.map((t) => ({ ...t, model: model ?? t.model })) };
    targets.forEach((_, i) => {
      if (endpoint) sources[`roles.${role}.targets.${i}.endpoint`] = endpointSource;
      if (model) sources[`roles.${role}.targets.${i}.model`] = modelSource;
    });
  }
}

function readToml(file: string, explicit: boolean): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new InputError(`${file}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? error})`, explicit ? "check the --config / PPOL_CONFIG path" : "fix its permissions or remove it");
  }
  try {
    return Bun.TOML.parse(text) as Record<string, unknown>;
  } catch (error: any) {
    const where = error?.line ? `:${error.line}:${error.column ?? 0}` : "";
    throw new InputError(`${file}${where}: invalid TOML: ${String(error?.message ?? error).replace(/^TOML Parse error: /, "")}`, "fix the syntax, or run `ppol init --force` for a fresh commented file");
  }
}

function validate(raw: unknown, file: string | undefined): Config {
  const result = Config.safeParse(raw);
  if (result.success) return result.data;
  throw new InputError(`${file ?? "config"}: ${formatIssue(result.error.issues[0]!)}`);
}

/** One readable line for a zod issue, with a suggestion for unknown keys. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join(".");
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const known = knownKeysAt(issue.path.map(String));
    const hint = closest(key, known);
    return `unknown key "${[...issue.path, key].join(".")}"${hint ? ` (did you mean "${hint}"?)` : ""}${known.length ? `; valid keys: ${known.join(", ")}` : ""}`;
  }
  return `${path || "(root)"}: ${issue.message}`;
}

function knownKeysAt(path: string[]): string[] {
  let node: any = Config.parse({});
  node.roles = Object.fromEntries(ROLE_NAMES.map((r) => [r, { targets: [{ endpoint: "", model: "", weight: 1 }], temperature: 0, max_tokens: 0 }]));
  for (const part of path) node = Array.isArray(node) ? node[0] : node?.[part] ?? Object.values(node ?? {})[0];
  return node && typeof node === "object" ? Object.keys(node) : [];
}

function leafPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

function setPath(target: Record<string, any>, path: string, value: unknown) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)!] = value;
}
