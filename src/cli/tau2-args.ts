/** Shared CLI plumbing for commands that work on τ² tasks: which domain data, which tasks. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { closest, InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import type { DomainTexts } from "../report/index.ts";
import { loadTau2Domain, saveTau2Domain, type Store } from "../store/index.ts";
import { checkDomainName, DOMAIN_FILES, type Domain, type DomainName, loadDomainDir, loadDomainFiles, readDomainImports, splitTasks, type Task } from "../tau2/index.ts";
import type { CommandContext } from "./command.ts";

const NO_DATA_FIX = "pass --tau2-data DIR (or set TAU2_DATA_DIR), or run `ppol tau2 import DIR` once";

/** The τ² data folder in effect (--tau2-data, TAU2_DATA_DIR, defaults.tau2_data), relative to the working directory; undefined: the archive. */
export function tau2DataDir(ctx: CommandContext): string | undefined {
  const dir = ctx.config().config.defaults.tau2_data;
  return dir ? resolvePath(ctx.cwd, dir) : undefined;
}

/**
 * A domain from the data folder when there is one, else the archive's newest import. The choice lives
 * here, with the callers: τ² never opens the archive and the archive knows no τ². The archive is opened
 * only when needed (a data folder never creates one).
 */
export function domainFrom(store: () => Store, dataDir: string | undefined, name: DomainName): Domain {
  if (dataDir) return loadDomainDir(dataDir, name);
  const stored = loadTau2Domain(store(), name);
  if (!stored) throw new InputError(`no τ² data for "${name}": no --tau2-data directory given and none imported into the archive`, NO_DATA_FIX);
  return loadDomainFiles(name, stored.files, `archive:${stored.row.source}`);
}

/** The domain from --tau2-data / TAU2_DATA_DIR / config, else from the archive (`ppol tau2 import`). */
export function domainFromContext(ctx: CommandContext, name: string | undefined): Domain {
  if (!name) throw new UsageError("--domain is required", "e.g. --domain retail or --domain airline");
  return domainFrom(() => ctx.store(), tau2DataDir(ctx), checkDomainName(name));
}

/** Validate every domain folder of `dir`, then store each (with its hashes, guidelines and tool schemas). */
export function importDomains(store: Store, dir: string, now: Date): Domain[] {
  const imports = readDomainImports(dir);
  for (const { domain, files } of imports) saveTau2Domain(store, { name: domain.name, dataHash: domain.hashes.data!, source: dir, now, files });
  return imports.map((i) => i.domain);
}

/** `--split NAME` or `--tasks ID,ID,…` (or `--tasks SPLIT`); default: the test split. */
export function selectTasks(domain: Domain, opts: { split?: string; tasks?: string }): Task[] {
  if (opts.split && opts.tasks) throw new UsageError("give --split or --tasks, not both");
  const splits = Object.keys(domain.splits);
  const selector = opts.tasks ?? opts.split ?? "test";
  if (!opts.tasks || splits.includes(selector)) {
    if (selector === "all" || selector === "base") return [...domain.tasks];
    if (!splits.includes(selector)) {
      const hint = closest(selector, splits);
      throw new UsageError(`unknown split "${selector}" for ${domain.name}${hint ? ` (did you mean "${hint}"?)` : ""}`, `splits: ${splits.join(", ")}`);
    }
    return splitTasks(domain, selector);
  }
  const byId = new Map(domain.tasks.map((t) => [t.id, t]));
  return selector.split(",").map((raw) => {
    const id = raw.trim();
    const task = byId.get(id);
    if (!task) throw new InputError(`--tasks: ${domain.name} has no task "${id}"`, `task ids run ${domain.tasks[0]?.id}…${domain.tasks.at(-1)?.id}; or pass a split (${splits.join(", ")})`);
    return task;
  });
}

/** The four raw file texts of a domain (byte for byte, for exports), from the same place domainFromContext reads. */
export function domainTextsFromContext(ctx: CommandContext, name: string): { files: DomainTexts; source: string } {
  const domain = checkDomainName(name);
  const dir = tau2DataDir(ctx);
  if (dir) {
    const folder = join(dir, domain);
    return { files: Object.fromEntries(DOMAIN_FILES.map((f) => [f, readFileSync(join(folder, f), "utf8")])) as unknown as DomainTexts, source: folder };
  }
  const stored = loadTau2Domain(ctx.store(), domain);
  if (!stored) throw new InputError(`no τ² data for "${domain}"`, NO_DATA_FIX);
  return { files: stored.files as unknown as DomainTexts, source: `archive:${stored.row.source}` };
}
