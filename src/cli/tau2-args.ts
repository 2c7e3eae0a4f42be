/** Shared CLI plumbing for commands that work on τ² tasks: which domain data, which tasks. */
import { resolve } from "node:path";
import { closest, InputError, UsageError } from "../errors.ts";
import { checkDomainName, loadDomain, splitTasks, type Domain, type Task } from "../tau2/index.ts";
import type { CommandContext } from "./command.ts";

/** The domain from --tau2-data / TAU2_DATA_DIR / config, else from the archive (`ppol tau2 import`). */
export function domainFromContext(ctx: CommandContext, name: string | undefined): Domain {
  if (!name) throw new UsageError("--domain is required", "e.g. --domain retail or --domain airline");
  const dir = ctx.config().config.defaults.tau2_data;
  return loadDomain(checkDomainName(name), { dir: dir ? resolve(ctx.cwd, dir) : undefined, store: () => ctx.store() });
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
