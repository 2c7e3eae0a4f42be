/**
 * Reading a τ² data directory (`<dir>/<domain>/{db.json,tasks.json,policy.md,split_tasks.json}`), the
 * layout of upstream's `data/tau2/domains`. Two optional files of upstream's `data/tau2/` come with it:
 * the user simulator's guidelines (`<dir>/../user_simulator/simulation_guidelines.md`) and a dump of the
 * tool schemas (`tool_schemas.json` in `<dir>` or beside it). Every file is validated; a bad one fails with
 * the file, the JSON path and the problem (InputError, exit 2). Parsing is pure (`parseDomain`); only
 * `readDomainFiles` and `readDataExtras` do I/O.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "zod";
import { closest, InputError } from "../errors.ts";
import { sha256 } from "../hash.ts";
import { AIRLINE_TABLES, AirlineDbSchema } from "./domains/airline/data-model.ts";
import { airlineToolkit } from "./domains/airline/tools.ts";
import { RETAIL_TABLES, RetailDbSchema } from "./domains/retail/data-model.ts";
import { retailToolkit } from "./domains/retail/tools.ts";
import type { BaseDb } from "./environment.ts";
import { deepFreeze, type PyDict } from "./py.ts";
import { mangleNumericKeys, shape, type ModelSpec } from "./pydantic.ts";
import { DOMAIN_NAMES, type DomainName, Splits, Tasks, type Task } from "./schema.ts";
import { parseToolSchemaFile, type ToolSchema } from "./schemas.ts";
import type { Toolkit } from "./toolkit.ts";

export const DOMAIN_FILES = ["db.json", "tasks.json", "policy.md", "split_tasks.json"] as const;
export type DomainFiles = Record<(typeof DOMAIN_FILES)[number], string>;

/** Where the optional files sit, as stored in the archive (paths relative to upstream's `data/tau2/`). */
export const USER_GUIDELINES_FILE = "user_simulator/simulation_guidelines.md";
export const TOOL_SCHEMAS_FILE = "tool_schemas.json";

/** An optional data file: its text, sha256 and where it was read. */
export interface DataFile {
  text: string;
  sha256: string;
  source: string;
}
export interface DataExtras {
  /** Upstream's user-simulator guidelines (domains where the user has no tools). */
  userGuidelines?: DataFile;
  /** OpenAI tool schemas for the agent, upstream's dump shape `{domain: {tool: schema}}`. */
  toolSchemas?: DataFile;
}

interface DomainKind {
  dbSchema: z.ZodType;
  tables: Record<string, ModelSpec>;
  toolkit: Toolkit;
}
const KINDS: Record<DomainName, DomainKind> = {
  retail: { dbSchema: RetailDbSchema, tables: RETAIL_TABLES, toolkit: retailToolkit },
  airline: { dbSchema: AirlineDbSchema, tables: AIRLINE_TABLES, toolkit: airlineToolkit },
};

export interface Domain {
  name: DomainName;
  /** The frozen initial DB every episode starts from (records in model_dump shape). */
  base: BaseDb;
  tasks: readonly Task[];
  policy: string;
  splits: Splits;
  toolkit: Toolkit;
  /** sha256 of each file, and `data` = sha256 over the four (names + hashes). */
  hashes: Record<string, string>;
  userGuidelines?: DataFile;
  /** The data folder's tool schemas for this domain, checked against the toolkit. */
  toolSchemaFile?: DataFile & { schemas: ToolSchema[] };
}

export function checkDomainName(name: string): DomainName {
  if ((DOMAIN_NAMES as readonly string[]).includes(name)) return name as DomainName;
  const guess = closest(name, DOMAIN_NAMES);
  throw new InputError(`unknown τ² domain "${name}"`, guess ? `did you mean "${guess}"?` : `use one of: ${DOMAIN_NAMES.join(", ")}`);
}

/** `$.orders["#W1"].items[0].price` */
function jsonPath(path: readonly PropertyKey[]): string {
  const key = (p: PropertyKey) => String(p).replace(/^\u0000/, "");
  return "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_]\w*$/.test(key(p)) ? `.${key(p)}` : `[${JSON.stringify(key(p))}]`)).join("");
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${where}: not valid JSON (${(e as Error).message})`, "restore the file from upstream data/tau2/domains");
  }
}

function validate<T>(schema: z.ZodType<T>, data: unknown, where: string): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new InputError(`${where}: ${jsonPath(issue.path)}: ${issue.message}`, "fix that field or restore the file from upstream data/tau2/domains");
}

function domainHashes(files: DomainFiles): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const f of DOMAIN_FILES) hashes[f] = sha256(files[f]);
  hashes.data = sha256(DOMAIN_FILES.map((f) => `${f}:${hashes[f]}`).join("\n"));
  return hashes;
}

/** Validate and build a domain from its four file texts (and the optional extras). `source` names where they came from, for errors. */
export function parseDomain(name: DomainName, files: DomainFiles, source: string, extras: DataExtras = {}): Domain {
  const kind = KINDS[name];
  const where = (f: string) => `${source}/${name}/${f}`;
  const rawDb = parseJson(mangleNumericKeys(files["db.json"]), where("db.json"));
  validate(kind.dbSchema, rawDb, where("db.json"));
  const base: Record<string, Map<string, PyDict>> = {};
  for (const [table, model] of Object.entries(kind.tables)) {
    const rows = shape({ k: "dict", value: { k: "model", model } }, (rawDb as Record<string, unknown>)[table]);
    base[table] = rows as Map<string, PyDict>;
  }
  const tasks = validate(Tasks, parseJson(files["tasks.json"], where("tasks.json")), where("tasks.json"));
  const splits = validate(Splits, parseJson(files["split_tasks.json"], where("split_tasks.json")), where("split_tasks.json"));
  const ids = new Set(tasks.map((t) => t.id));
  for (const [split, list] of Object.entries(splits)) {
    const missing = list.find((id) => !ids.has(id));
    if (missing !== undefined) throw new InputError(`${where("split_tasks.json")}: $.${split}: task id "${missing}" is not in tasks.json`, "fix the split or restore the file");
  }
  for (const t of tasks) {
    // Upstream retail/airline tasks never set an initial state; refusing one beats silently ignoring it.
    if (t.initial_state != null) throw new InputError(`${where("tasks.json")}: task "${t.id}" initial_state: not supported by ppol`, "retail and airline tasks have initial_state null");
    for (const [i, a] of (t.evaluation_criteria?.actions ?? []).entries()) {
      if (!kind.toolkit.byName.has(a.name))
        throw new InputError(`${where("tasks.json")}: task "${t.id}" actions[${i}].name: unknown tool "${a.name}"`, "fix the action name or restore the file");
    }
  }
  const { userGuidelines, toolSchemas } = extras;
  if (userGuidelines && !userGuidelines.text.trim()) throw new InputError(`${userGuidelines.source}: empty user-simulator guidelines`, "restore the file from upstream data/tau2/user_simulator, or remove it to use ppol's paraphrase");
  return {
    name,
    base: deepFreeze(base),
    tasks,
    policy: files["policy.md"],
    splits,
    toolkit: kind.toolkit,
    hashes: domainHashes(files),
    ...(userGuidelines ? { userGuidelines } : {}),
    ...(toolSchemas ? { toolSchemaFile: { ...toolSchemas, schemas: parseToolSchemaFile(toolSchemas.text, toolSchemas.source, name, kind.toolkit) } } : {}),
  };
}

/** Read the four files of one domain from a data directory. */
export function readDomainFiles(dir: string, name: DomainName): DomainFiles {
  const folder = join(dir, name);
  if (!existsSync(folder)) throw new InputError(`${folder}: no such τ² domain folder`, `point --tau2-data (or TAU2_DATA_DIR) at a folder holding ${DOMAIN_NAMES.join("/")}/`);
  const files = {} as DomainFiles;
  for (const f of DOMAIN_FILES) {
    const path = join(folder, f);
    if (!existsSync(path)) throw new InputError(`${path}: missing`, `a τ² domain folder needs ${DOMAIN_FILES.join(", ")}`);
    files[f] = readFileSync(path, "utf8");
  }
  return files;
}

/** The optional files of a data directory: guidelines beside `dir`, tool schemas in `dir` or beside it. */
export function readDataExtras(dir: string): DataExtras {
  const read = (path: string): DataFile | undefined => {
    if (!existsSync(path)) return undefined;
    const text = readFileSync(path, "utf8");
    return { text, sha256: sha256(text), source: path };
  };
  const userGuidelines = read(join(dir, "..", USER_GUIDELINES_FILE));
  const toolSchemas = read(join(dir, TOOL_SCHEMAS_FILE)) ?? read(join(dir, "..", TOOL_SCHEMAS_FILE));
  return { ...(userGuidelines ? { userGuidelines } : {}), ...(toolSchemas ? { toolSchemas } : {}) };
}

export function loadDomainDir(dir: string, name: DomainName): Domain {
  return parseDomain(name, readDomainFiles(dir, name), dir, readDataExtras(dir));
}

/** Task ids of a split; "base" means all tasks, like upstream. */
export function splitTasks(domain: Domain, split = "base"): Task[] {
  if (split === "base" && !domain.splits.base) return [...domain.tasks];
  const ids = domain.splits[split];
  if (!ids) throw new InputError(`${domain.name}: no split "${split}"`, `use one of: ${Object.keys(domain.splits).join(", ")}`);
  const set = new Set(ids);
  return domain.tasks.filter((t) => set.has(t.id));
}
