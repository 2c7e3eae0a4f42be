/**
 * What a benchmark run is asked to do (ppol-method §6, Table 1): conditions × agent models on one τ² split,
 * stored with the run so `--resume` finishes exactly that, and the ids of the runs it has made so far.
 */
import { z } from "zod";
import { closest, UsageError } from "../../errors.ts";
import { SUITE_PREFIX, SUITES } from "../../personas/index.ts";

/** The paper's conditions, in Table 1 order; `ood:<suite>` adds a shipped out-of-distribution suite. */
export const CONDITIONS = ["humans", "base", "dp", "ppol-initial", "ppol-evolved"] as const;

export const BenchmarkCondition = z.object({
  /** As named on the command line: humans, base, dp, ppol-initial, ppol-evolved, ood:skeptical, … */
  name: z.string(),
  kind: z.enum(["humans", "base", "dp", "ppol-initial", "ppol-evolved", "ood"]),
  /** Program conditions: the generator (seed:dp, seed:ppol, the evolved program's name) and its sha256. */
  program: z.object({ name: z.string(), sha256: z.string() }).optional(),
  /** ood conditions: the suite, as `suite:NAME`. */
  suite: z.string().optional(),
});
export type BenchmarkCondition = z.infer<typeof BenchmarkCondition>;

export const BenchmarkPlan = z.object({
  domain: z.string(),
  split: z.string(),
  task_ids: z.array(z.string()),
  personas_per_task: z.int().positive(),
  trials: z.int().positive(),
  max_steps: z.int().positive(),
  human_set: z.string(),
  discriminator: z.string(),
  conditions: z.array(BenchmarkCondition).min(1),
  /** null: the configured agent role; otherwise one block per model. */
  agent_models: z.array(z.string().nullable()).min(1),
  /** Where the evolved program came from (an evolve run or a file). */
  evolved_from: z.string().nullable(),
  /** Filled as the run proceeds: a personas run per program condition, a simulate run per (agent, condition). */
  personas_runs: z.record(z.string(), z.string()).default({}),
  sim_runs: z.record(z.string(), z.string()).default({}),
});
export type BenchmarkPlan = z.infer<typeof BenchmarkPlan>;

/** The key of a (agent block, condition) simulate run in `sim_runs`. */
export const simKey = (agent: number, condition: string) => `${agent}:${condition}`;

/**
 * `--conditions a,b,…` → conditions; default: every paper condition that can run (ppol-evolved only with
 * --evolved). An unknown name is a usage error with the list.
 */
export function parseConditions(list: string | undefined, opts: { evolved: boolean }): Pick<BenchmarkCondition, "name" | "kind" | "suite">[] {
  const names = list ? list.split(",").map((s) => s.trim()).filter(Boolean) : CONDITIONS.filter((c) => c !== "ppol-evolved" || opts.evolved);
  if (!names.length) throw new UsageError("--conditions: no condition given", `use some of: ${[...CONDITIONS, "ood:SUITE"].join(", ")}`);
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name)) throw new UsageError(`--conditions: ${name} is listed twice`);
    seen.add(name);
    if (name.startsWith("ood:")) {
      const suite = name.slice(4);
      if (!SUITES.has(suite)) {
        const hint = closest(suite, [...SUITES.keys()]);
        throw new UsageError(`--conditions: unknown suite "${suite}"${hint ? ` (did you mean "ood:${hint}"?)` : ""}`, `suites: ${[...SUITES.keys()].map((s) => `ood:${s}`).join(", ")}`);
      }
      return { name, kind: "ood" as const, suite: `${SUITE_PREFIX}${suite}` };
    }
    if (!(CONDITIONS as readonly string[]).includes(name)) {
      const hint = closest(name, [...CONDITIONS]);
      throw new UsageError(`--conditions: unknown condition "${name}"${hint ? ` (did you mean "${hint}"?)` : ""}`, `use some of: ${[...CONDITIONS, "ood:SUITE"].join(", ")}`);
    }
    if (name === "ppol-evolved" && !opts.evolved) throw new UsageError("--conditions: ppol-evolved needs --evolved RUN|FILE", "pass the evolve run or the program file to benchmark");
    return { name, kind: name as (typeof CONDITIONS)[number] };
  });
}
