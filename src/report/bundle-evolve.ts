/**
 * Bundling a PPol evolve run (`ppol evolve`): it reads its plan (seed program, train/validation split,
 * options), one τ² domain, the human reference set and, when given one, a discriminator. Every program,
 * evaluation, validation, the bootstrap and the runs it made for them (each evaluation's personas and
 * episodes, the base simulator run) are its outputs. The replay resumes it from nothing with recorded
 * answers only: the engine replays to the same programs, scores and final choice at any parallelism.
 * Only a finished run is replayed (an interrupted one would be carried past where it stopped).
 */
import { Config } from "../config/index.ts";
import { describeError, InputError } from "../errors.ts";
import { PpolRunConfig, resumePpolEvolution } from "../evolve/index.ts";
import { createLlm } from "../llm/index.ts";
import { userGuidelinesFor } from "../sim/index.ts";
import { getEvolveBootstrap, listEvolvePrograms, listSubRuns, runProgramShas, type RunRow } from "../store/index.ts";
import { agentTools } from "../tau2/index.ts";
import { type BundleKind, bundledDomain, type ReplayContext } from "./bundle-entry.ts";

function stored(run: RunRow) {
  const doc = JSON.parse(run.config_json);
  const parsed = PpolRunConfig.safeParse(doc);
  if (!parsed.success) throw new InputError(`run ${run.id} was not started by \`ppol evolve\`: ppol cannot bundle it`, "bundle a run of `ppol evolve`");
  return { plan: parsed.data.ppol, config: Config.parse(doc.config ?? {}) };
}

export const evolveBundle: BundleKind = {
  inputs(store, run) {
    const { plan } = stored(run);
    const children = listSubRuns(store, run.id).map((r) => r.id);
    const bootstrap = getEvolveBootstrap(store, run.id);
    const programs = new Set([plan.program.sha256, ...listEvolvePrograms(store, run.id).map((p) => p.code_sha), ...children.flatMap((id) => runProgramShas(store, id))]);
    return {
      dependsOn: [],
      children,
      tau2: [{ name: plan.domain, data_hash: plan.data_hash }],
      programs: [...programs],
      sets: [plan.human],
      discriminators: [plan.discriminator, bootstrap?.discriminator_id].filter((d): d is string => !!d),
      hashes: {
        [`tau2 ${plan.domain}`]: plan.data_hash,
        program: plan.program.sha256,
        tool_schemas: plan.tool_schemas.sha256 ?? "ppol",
        user_guidelines: plan.user_guidelines.sha256,
      },
      warnings: [],
    };
  },

  check(bundle, run) {
    const { plan } = stored(run);
    const domain = bundledDomain(bundle, plan.domain);
    const found = { "τ² data": domain.hashes.data!, "tool schemas": agentTools(domain).sha256, "user-simulator guidelines": userGuidelinesFor(domain).sha256 };
    const wanted = { "τ² data": plan.data_hash, "tool schemas": plan.tool_schemas.sha256, "user-simulator guidelines": plan.user_guidelines.sha256 };
    for (const [what, hash] of Object.entries(wanted))
      if (found[what as keyof typeof found] !== hash)
        throw new InputError(`run ${run.id}: cannot bundle what it read: its ${what} ${hash?.slice(0, 12) ?? "ppol's own"} are not in the τ² data given`, "pass the --tau2-data folder the run used (with its user_simulator/ and tool_schemas.json)");
  },

  replayUnits: (bundle, run) => listEvolvePrograms(bundle, run.id).filter((p) => p.kind !== "migrant").length,

  async replay(ctx: ReplayContext, run: RunRow) {
    if (run.status !== "done")
      throw new InputError(`run ${run.id} is a ${run.status} evolve run: its stored outputs match the manifest, but only a finished evolve run is replayed`, "resume it to the end (`ppol evolve --resume`), then bundle it again");
    const { config } = stored(run);
    const llm = createLlm({ config, store: ctx.scratch, runId: run.id, cacheMode: "ro", env: {} });
    try {
      await resumePpolEvolution(
        {
          store: ctx.scratch,
          llm,
          config,
          loadDomain: (name) => bundledDomain(ctx.scratch, name),
          python: ctx.python,
          sandbox: ctx.sandbox,
          version: ctx.version,
          signal: ctx.signal,
          onEvent: (e) => {
            if (e.kind === "program" && e.program.kind !== "migrant" && e.program.status !== "proposed") ctx.tick();
          },
        },
        run.id,
      );
      return undefined;
    } catch (error) {
      return describeError(error);
    } finally {
      await llm.close();
    }
  },
};
