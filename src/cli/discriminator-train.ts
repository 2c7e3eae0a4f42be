import { FORMATS } from "../conversations/index.ts";
import { UsageError } from "../errors.ts";
import { trainFromSources } from "../fitness/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str } from "./command.ts";
import { CUES_OPTION, cueSetOf, fitnessDeps, humanSplitOf } from "./fitness-args.ts";

export default defineCommand({
  name: "discriminator train",
  summary: "train the human-likeness random forest (humans vs persona-free simulator) and report 5-fold CV ROC-AUC",
  usage: "ppol discriminator train --human NAME --simulator NAME|RUN|FILE [--simulator-format F] [--cues ref|ppol-cues-1] [--normalize] [--json]",
  description:
    "Random forest on standardised fingerprints (200 trees, depth 12, balanced classes, seed from --seed, default 42). " +
    "Reports stratified k-fold ROC-AUC (k = 5 when both classes have ≥ 5) and warns below 0.7. Conversations without user turns are left out. " +
    "Both classes are fingerprinted with one cue set and must be prepared alike: a run or file is read the way the human set was imported " +
    "(with or without --strip-control); a simulator set prepared differently is refused. " +
    "The model, its CV, and provenance (feature and cue versions, preparation, data hashes, models, text normalisation) are stored; " +
    "`ppol score` applies the same normalisation and refuses other cue sets or preparations.",
  options: {
    human: { type: "string", valueName: "NAME", description: "stored human reference set" },
    "human-split": { type: "string", valueName: "train|test|all", description: "which human conversations to train on (default train)" },
    simulator: { type: "string", valueName: "NAME|RUN|FILE", description: "stored set, or a conversation file of persona-free simulator episodes" },
    "simulator-format": { type: "string", valueName: FORMATS.join("|"), description: "format of a --simulator file (default: guessed)" },
    ...CUES_OPTION,
    normalize: { type: "boolean", description: "lower-case and delete punctuation on both sides (implied when either set is MultiDoGO or was imported with --normalize)" },
    trees: { type: "string", valueName: "N", description: "number of trees (default 200)" },
    depth: { type: "string", valueName: "N", description: "maximum tree depth (default 12)" },
    "agent-model": { type: "string", valueName: "NAME", description: "agent model behind the simulator episodes (provenance)" },
    "user-model": { type: "string", valueName: "NAME", description: "user-simulator model behind the episodes (provenance)" },
    ...JSON_OPTION,
  },
  examples: [
    "ppol discriminator train --human mdg-airline --simulator ../shared/corpora/tau-bench-sim/gpt-4o-airline.json --normalize",
    "ppol discriminator train --human usi-retail --simulator base-retail --user-model qwen3-next",
  ],
  run(ctx) {
    const human = str(ctx.values, "human");
    const simulator = str(ctx.values, "simulator");
    if (!human || !simulator) throw new UsageError("discriminator train: --human and --simulator are required", "usage: ppol discriminator train --human NAME --simulator NAME|FILE");
    const humanSplit = humanSplitOf(ctx, "discriminator train", "train");
    const cues = cueSetOf(ctx);
    const models: Record<string, string> = {};
    for (const k of ["agent-model", "user-model"]) if (str(ctx.values, k)) models[k.replace("-model", "")] = str(ctx.values, k)!;
    const seed = ctx.config().config.defaults.seed;
    const simulatorFormat = str(ctx.values, "simulator-format");
    const r = trainFromSources(fitnessDeps(ctx), {
      human,
      humanSplit,
      simulator,
      ...(simulatorFormat ? { simulatorFormat } : {}),
      cues,
      normalize: ctx.values.normalize === true,
      forest: { nTrees: intFlag(ctx.values, "trees", { fallback: 200 }), maxDepth: intFlag(ctx.values, "depth", { fallback: 12 }), seed },
      models,
      now: new Date(),
    });
    const { cv } = r.model;
    if (r.weak)
      ctx.io.err(
        `warning: CV ROC-AUC ${cv.mean.toFixed(3)} is below 0.7` +
          (cv.mean < 0.6 ? ": humans and this simulator look alike to the fingerprint, so HL will carry little signal" : ": the discriminator separates humans from the simulator only weakly"),
      );
    if (ctx.values.json) {
      ctx.io.out(JSON.stringify({ id: r.id, cv_auc: cv.mean, cv_std: cv.std, folds: cv.aucs, n_human: r.human.n, n_simulator: r.simulator.n, normalization: r.normalization, preparation: r.preparation, cue_version: cues.version, seed }));
      return;
    }
    ctx.io.out(`discriminator ${r.id}: ${r.human.n} human (${r.human.label}, ${humanSplit}) vs ${r.simulator.n} simulator (${r.simulator.label}); cues ${cues.version}; preparation ${r.preparation}; normalization ${r.normalization}; seed ${seed}`);
    ctx.io.out(`${cv.folds}-fold CV ROC-AUC ${cv.mean.toFixed(3)} ± ${cv.std.toFixed(3)}  (folds: ${cv.aucs.map((a) => a.toFixed(3)).join(" ")})`);
  },
});
