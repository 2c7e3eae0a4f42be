/**
 * Bundling a personas run: it reads its config (every task's context, the program by sha256) and the
 * program. Made inside a simulate run (`--program`), its LLM calls were recorded under that run, whose
 * LLM settings the replay then uses too. The replay resumes it in the sandbox with recorded answers
 * only; tasks its original never finished, or that ended on the sandbox's clock or memory limit, are held
 * by placeholders and then restored from the bundle (checked against the manifest only).
 */
import { Config } from "../config/index.ts";
import { describeError, InputError } from "../errors.ts";
import { createLlm } from "../llm/index.ts";
import { PersonaRunConfig, resumePersonaRun } from "../personas/index.ts";
import { RunPlan } from "../sim/index.ts";
import { copyOutputItems, insertPlaceholderPersonaTasks, listRuns, personaTaskOutcomes, runProgramShas, type RunRow, type Store } from "../store/index.ts";
import type { BundleKind, ReplayContext } from "./bundle-entry.ts";

/** Sandbox verdicts that depend on the machine, not on the program and its answers. */
const MACHINE_BOUND = new Set(["timeout", "memory"]);

function stored(run: RunRow): PersonaRunConfig {
  const parsed = PersonaRunConfig.safeParse(JSON.parse(run.config_json));
  if (!parsed.success) throw new InputError(`run ${run.id} was stored by an older ppol without its task contexts: it cannot be replayed`, "generate its personas again with this ppol");
  return parsed.data;
}

function replayable(bundle: Store, runId: string): Set<string> {
  return new Set(personaTaskOutcomes(bundle, runId).filter((o) => !MACHINE_BOUND.has(o.error_kind ?? "")).map((o) => o.task_id));
}

/** The simulate run whose persona phase made this personas run, if any. */
function generatingRun(store: Store, runId: string): RunRow | undefined {
  return listRuns(store, { kind: "simulate" }).find((r) => {
    const plan = RunPlan.safeParse(JSON.parse(r.config_json).plan);
    return plan.success && plan.data.generated && plan.data.personas === runId;
  });
}

export const personasBundle: BundleKind = {
  inputs(store, run) {
    const config = stored(run);
    return {
      dependsOn: [],
      tau2: [],
      programs: [...new Set([config.program_sha256, ...runProgramShas(store, run.id)])],
      generatedBy: generatingRun(store, run.id),
      hashes: { program: config.program_sha256 },
      warnings: [],
    };
  },

  replayUnits: (bundle, run) => replayable(bundle, run.id).size,

  async replay(ctx: ReplayContext, run: RunRow) {
    const config = stored(run);
    const keep = replayable(ctx.bundle.store, run.id);
    const skipped = config.tasks.map((t) => t.id).filter((id) => !keep.has(id));
    insertPlaceholderPersonaTasks(ctx.scratch, { runId: run.id, taskIds: skipped, programSha: config.program_sha256, domain: config.domain, n: config.n });
    // A personas run stores no LLM settings: those of the simulate run that made it, else the defaults.
    const settings = Config.parse(ctx.entry.llm_config ?? {});
    const llm = createLlm({ config: settings, store: ctx.scratch, runId: run.id, cacheMode: "ro", env: {} });
    let note: string | undefined;
    try {
      await resumePersonaRun({ store: ctx.scratch, llm: () => llm, pool: ctx.pool, seed: run.seed ?? settings.defaults.seed, version: ctx.version, signal: ctx.signal, onTask: () => ctx.tick() }, run.id);
    } catch (error) {
      note = describeError(error);
    } finally {
      await llm.close();
    }
    const tasks = { where: "task_id IN (SELECT value FROM json_each(?))", args: [JSON.stringify(skipped)] };
    copyOutputItems(ctx.scratch, ctx.bundle.store.path, run.id, [
      { table: "persona_tasks", ...tasks },
      { table: "personas", ...tasks },
    ]);
    return note;
  },
};
