import { FORMATS } from "../conversations/index.ts";
import { UsageError } from "../errors.ts";
import { curriculumWeights, type ScoreResult, scoreFromSources, VALIDATION_WEIGHTS, type Weights } from "../fitness/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str } from "./command.ts";
import { CUES_OPTION, cueSetOf, fitnessDeps, humanSplitOf } from "./fitness-args.ts";
import { table } from "./format.ts";

function parseWeights(weights: string | undefined, curriculum: string | undefined): Weights {
  if (weights && curriculum) throw new UsageError("score: pass --weights or --curriculum, not both", "e.g. --weights 0.5,0.5");
  if (curriculum) {
    const m = /^(\d+)\/(\d+)$/.exec(curriculum);
    if (!m || Number(m[2]) < 1) throw new UsageError(`score: --curriculum must be NOW/FINAL personas per task, got "${curriculum}"`, "e.g. --curriculum 5/10");
    return curriculumWeights(Number(m[1]), Number(m[2]));
  }
  if (!weights) return VALIDATION_WEIGHTS;
  const parts = weights.split(",").map(Number);
  if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x) || x < 0)) throw new UsageError(`score: --weights must be two non-negative numbers H,C, got "${weights}"`, "e.g. --weights 0.5,0.5");
  return { h: parts[0]!, c: parts[1]! };
}

const fmt = (x: number) => x.toFixed(3);

function render(r: ScoreResult): string {
  const tasks = table(["task", "episodes", "mean P(human)", "coverage"], r.tasks.map((t) => {
    const eps = r.episodes.filter((e) => e.task_id === t.task_id);
    return [t.task_id ?? "(none)", String(eps.length), fmt(eps.reduce((s, e) => s + e.p_human, 0) / eps.length), fmt(t.coverage)];
  }));
  const d = r.dice;
  const summary = table(["HL", "Cov", "Score", "D1", "D2", "D3", "D4", "USI"], [[r.hl, r.cov, r.score, d.D1, d.D2, d.D3, d.D4, d.usi].map(fmt)]);
  return `${tasks}\n\n${summary}\n(D1–D4 and USI: aggregate-first Dice against the human mean, diagnostics only)`;
}

export default defineCommand({
  name: "score",
  summary: "score episodes against a human reference: HL, coverage, combined score, Dice diagnostics",
  usage: "ppol score --episodes FILE|SET|RUN --human NAME --discriminator ID [--format F] [--cues ref|ppol-cues-1] [--space raw|z] [--clusters K] [--json]",
  description:
    "HL = mean P(human) under the discriminator; Cov = mean over tasks of two-sided Chamfer coverage of the human cloud; " +
    "Score = λ_h·HL + λ_c·Cov (0.5/0.5, or --curriculum NOW/FINAL: λ_c = 0.5·NOW/FINAL). The discriminator's text normalisation is applied to episodes and humans. " +
    "A run or file is prepared as the discriminator's training data was; a set prepared otherwise, or a cue set other than the discriminator's, is refused. " +
    "The human cloud is the whole set by default (--human-split); z-space uses the set's train split for mean/std. Episodes with no user turns score with all-zero features. " +
    "The result is stored in the archive with the feature and cue versions.",
  options: {
    episodes: { type: "string", valueName: "FILE|SET|RUN", description: "conversation file (any format), stored set, or simulate run to score" },
    format: { type: "string", valueName: FORMATS.join("|"), description: "format of the --episodes file (default: guessed)" },
    domain: { type: "string", valueName: "D", description: "keep only this domain of the --episodes file" },
    human: { type: "string", valueName: "NAME", description: "stored human reference set" },
    "human-split": { type: "string", valueName: "all|train|test", description: "human cloud for coverage and Dice (default all)" },
    discriminator: { type: "string", valueName: "ID", description: "a discriminator id from `ppol discriminator train`" },
    space: { type: "string", valueName: "raw|z", description: "coverage feature space (default: the human set's, raw for τ-USI)" },
    clusters: { type: "string", valueName: "K", description: "reduce the human cloud to K k-means centroids (default off)" },
    weights: { type: "string", valueName: "H,C", description: "λ_h,λ_c (default 0.5,0.5)" },
    curriculum: { type: "string", valueName: "NOW/FINAL", description: "curriculum weights, NOW/FINAL personas per task: λ_c = 0.5·NOW/FINAL, λ_h = 1 − λ_c" },
    ...CUES_OPTION,
    ...JSON_OPTION,
  },
  examples: ["ppol score --episodes run-episodes.jsonl --human usi-airline --discriminator d-1a2b3c4d5e6f --json"],
  run(ctx) {
    const [episodes, human, discriminator] = [str(ctx.values, "episodes"), str(ctx.values, "human"), str(ctx.values, "discriminator")];
    if (!episodes || !human || !discriminator) throw new UsageError("score: --episodes, --human and --discriminator are required", "usage: ppol score --episodes FILE --human NAME --discriminator ID");
    const humanSplit = humanSplitOf(ctx, "score", "all");
    const clusters = intFlag(ctx.values, "clusters", { fallback: 0, min: 0 });
    const weights = parseWeights(str(ctx.values, "weights"), str(ctx.values, "curriculum"));
    const space = str(ctx.values, "space");
    if (space !== undefined && space !== "raw" && space !== "z") throw new UsageError(`score: unknown --space "${space}"`, "use raw or z");
    const [format, domain] = [str(ctx.values, "format"), str(ctx.values, "domain")];
    const cues = cueSetOf(ctx);
    const result = scoreFromSources(fitnessDeps(ctx), {
      episodes,
      ...(format ? { format } : {}),
      ...(domain ? { domain } : {}),
      human,
      humanSplit,
      discriminator,
      ...(space ? { space } : {}),
      clusters,
      weights,
      cues,
      seed: ctx.config().config.defaults.seed,
      now: new Date(),
    });
    ctx.io.out(ctx.values.json ? JSON.stringify(result) : render(result));
  },
});
