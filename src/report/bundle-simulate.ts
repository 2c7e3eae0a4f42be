/**
 * Bundling a simulate run: it reads its plan (stored with it), one τ² domain by data hash (with the
 * guidelines and tool schemas the plan pinned), and a personas run when its plan names one. The replay
 * resumes the run with recorded answers only; episodes its original never finished, or that ended on a
 * failing model server (an infrastructure error or a failed evaluation), are not replayed but held by
 * placeholders and then restored from the bundle, so they are checked against the manifest only.
 */
import { Config } from "../config/index.ts";
import { describeError, InputError } from "../errors.ts";
import { createLlm, type Llm } from "../llm/index.ts";
import { SUITE_PREFIX } from "../personas/index.ts";
import { resumeRun, RunPlan, runEpisodePlan, runGuidelines, runTools } from "../sim/index.ts";
import { copyOutputItems, episodeCallCounts, getRun, insertPlaceholderEpisodes, listEpisodeSummaries, type RunRow, type Store } from "../store/index.ts";
import { type BundleKind, bundledDomain, type ReplayContext } from "./bundle-entry.ts";

function stored(run: RunRow): { plan: RunPlan; config: Config } {
  const doc = JSON.parse(run.config_json);
  const plan = RunPlan.safeParse(doc.plan);
  const config = Config.safeParse(doc.config);
  if (!plan.success || !config.success) throw new InputError(`run ${run.id}: its stored plan or config is not readable by this ppol`, "bundle it with the ppol that ran it");
  return { plan: plan.data, config: config.data };
}

/** Stored episodes a replay redoes: not those a dead server or a failed judge decided. */
function replayable(bundle: Store, runId: string): Set<string> {
  return new Set(listEpisodeSummaries(bundle, runId).filter((e) => e.termination !== "infrastructure_error" && e.evaluation !== "failed").map((e) => e.id));
}

export const simulateBundle: BundleKind = {
  inputs(store, run) {
    const { plan } = stored(run);
    const dependsOn: string[] = [];
    if (plan.personas && !plan.personas.startsWith(SUITE_PREFIX) && !plan.personas_snapshot) {
      if (getRun(store, plan.personas)?.kind !== "personas")
        throw new InputError(`run ${run.id} read personas from ${plan.personas}, which is no personas run in ${store.path} and which its plan does not keep`, "run it again with this ppol (plans now keep file personas)");
      dependsOn.push(plan.personas);
    }
    const calls = episodeCallCounts(store, run.id);
    const warnings =
      calls.recorded < calls.made
        ? [`run ${run.id}: its episodes made ${calls.made} user/agent calls, but the archive knows only ${calls.recorded} requests it used (it reused answers of other runs before ppol recorded cache hits): \`ppol bundle verify\` will name the missing ones — bundle the run that recorded them instead`]
        : [];
    return {
      dependsOn,
      tau2: [{ name: plan.domain, data_hash: plan.data_hash }],
      programs: [],
      hashes: {
        [`tau2 ${plan.domain}`]: plan.data_hash,
        tool_schemas: plan.tool_schemas_sha256 ?? "ppol",
        ...(plan.user_guidelines ? { user_guidelines: plan.user_guidelines.sha256 } : {}),
      },
      warnings,
    };
  },

  check(bundle, run) {
    const { plan } = stored(run);
    try {
      const domain = bundledDomain(bundle, plan.domain);
      if (domain.hashes.data !== plan.data_hash) throw new InputError(`τ² data ${domain.hashes.data!.slice(0, 12)} is not the ${plan.data_hash.slice(0, 12)} the run used`);
      runTools(domain, plan, run.id);
      runGuidelines(domain, plan, run.id);
    } catch (error) {
      throw new InputError(`run ${run.id}: cannot bundle what it read: ${describeError(error)}`, "pass the --tau2-data folder the run used (with its user_simulator/ and tool_schemas.json)", { cause: error });
    }
  },

  replayUnits: (bundle, run) => replayable(bundle, run.id).size,

  async replay(ctx: ReplayContext, run: RunRow) {
    const { plan, config } = stored(run);
    const keep = replayable(ctx.bundle.store, run.id);
    // Planned with the personas the replay has just regenerated (dependencies go first).
    const skipped = runEpisodePlan(ctx.scratch, run.id, plan, config.defaults.seed, ctx.cwd).episodes.map((e) => e.id).filter((id) => !keep.has(id));
    insertPlaceholderEpisodes(ctx.scratch, run.id, skipped);
    const clients: Llm[] = [];
    let note: string | undefined;
    try {
      await resumeRun(
        {
          store: ctx.scratch,
          config,
          llm: (runId, c) => {
            const llm = createLlm({ config: c, store: ctx.scratch, runId, cacheMode: "ro", env: {} });
            clients.push(llm);
            return llm;
          },
          domain: (name) => bundledDomain(ctx.scratch, name),
          cwd: ctx.cwd,
          version: ctx.version,
          signal: ctx.signal,
          personas: { pool: ctx.pool },
          onEpisode: () => ctx.tick(),
        },
        run.id,
      );
    } catch (error) {
      note = describeError(error);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    copyOutputItems(ctx.scratch, ctx.bundle.store.path, run.id, [{ table: "episodes", where: "id IN (SELECT value FROM json_each(?))", args: [JSON.stringify(skipped)] }]);
    return note;
  },
};
