/**
 * The benchmark report computed from the archive, never from what a writer kept: every condition's
 * episodes (or, for Humans, the human set's held-out test split) are fingerprinted with the
 * discriminator's cue set and preparation, scored against the train split's human cloud (HL, Cov, Score,
 * Dice), and folded per task for seeded task-bootstrap intervals. Also returns the plot data.
 */
import { conversationSources, runConversations } from "../../conversations/index.ts";
import type { Config } from "../../config/index.ts";
import { roleConfig } from "../../config/index.ts";
import { InputError } from "../../errors.ts";
import { cueSetByVersion, type Features, loadDiscriminatorModel, meanFeatures, scoreConversations, toVector, VALIDATION_WEIGHTS } from "../../fitness/index.ts";
import { costOf, type Price } from "../../llm/index.ts";
import type { Conversation } from "../../model/index.ts";
import { createRng } from "../../rng.ts";
import { fitnessArchive, getRun, listEpisodes, runLlmUsage, type Store } from "../../store/index.ts";
import { aggregateTasks, conditionMetrics, type EpisodeStats } from "../metrics.ts";
import type { PlotData } from "../plots/index.ts";
import { type AgentBlock, type BenchmarkReport, type ReportCondition } from "../report.ts";
import { DEFAULT_LEVEL, DEFAULT_RESAMPLES } from "../stats.ts";
import { type BenchmarkCondition, BenchmarkPlan, simKey } from "./plan.ts";

export interface ReportOptions {
  prices: Readonly<Record<string, Price>>;
  version: string;
  now: Date;
  resamples?: number;
}

export function benchmarkReport(store: Store, runId: string, opts: ReportOptions): { report: BenchmarkReport; plots: PlotData } {
  const run = getRun(store, runId);
  if (!run || run.kind !== "benchmark") throw new InputError(`no benchmark run "${runId}" in ${store.path}`, "list them with `ppol runs --kind benchmark`");
  const stored = JSON.parse(run.config_json) as { plan: unknown; config: Config };
  const plan = BenchmarkPlan.parse(stored.plan);
  const model = loadDiscriminatorModel(fitnessArchive(store), plan.discriminator);
  const cues = cueSetByVersion(model.provenance.cue_version);
  if (!cues) throw new InputError(`discriminator ${plan.discriminator} uses cue set ${model.provenance.cue_version}, which this ppol does not ship`, "train a discriminator with a current cue set");
  const preparation = model.provenance.preparation ?? "reference";
  const sources = conversationSources({ store: () => store });
  const set = sources.set(plan.human_set).set!;
  const humans = (split: "train" | "test") => sources.set(plan.human_set, { split }).conversations;
  const cloud = humans("train");
  if (cloud.length === 0) throw new InputError(`human set "${plan.human_set}" has no train conversations for the coverage cloud`, "re-import it with a split rule that keeps a train split");
  const sides = (label: string) => ({ episodes: { label, preparation }, human: { label: set.name, preparation: set.preparation } });
  const score = (convs: readonly Conversation[], label: string) =>
    scoreConversations(convs, cloud, model, { space: set.space, cues, modelLabel: plan.discriminator, sides: sides(label), seed: 0 });
  const humanFeatures = score(cloud, set.name).episodes.map((e) => e.features as Features);
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const seed = run.seed ?? 42;
  const fingerprints: { name: string; fingerprints: number[][] }[] = [];
  const means: { name: string; means: number[] }[] = [];

  const condition = (c: BenchmarkCondition, index: number, stats: EpisodeStats[], coverage: Map<string, number>, sources: string[]): ReportCondition => {
    const tasks = aggregateTasks(stats, coverage);
    const metrics = conditionMetrics(tasks, { rng: createRng(seed + index), resamples, humans: humanFeatures, weights: VALIDATION_WEIGHTS });
    return { name: c.name, kind: c.kind, sources, episodes: stats.length, tasks: tasks.length, metrics };
  };
  const remember = (name: string, features: Features[]) => {
    if (!features.length || fingerprints.some((f) => f.name === name)) return;
    fingerprints.push({ name, fingerprints: features.map(toVector) });
    means.push({ name, means: toVector(meanFeatures(features)) });
  };

  const blocks: AgentBlock[] = [];
  const humansCondition = plan.conditions.find((c) => c.kind === "humans");
  if (humansCondition) {
    const test = humans("test");
    if (test.length === 0) throw new InputError(`human set "${plan.human_set}" has no test conversations for the Humans condition`, "re-import it with a split rule that keeps a test split, or leave humans out of --conditions");
    const r = score(test, `${set.name} (test)`);
    const byId = new Map(test.map((t) => [t.id, t]));
    const stats = r.episodes.map((e) => ({ task_id: e.task_id ?? e.id, persona_key: e.id, user_turns: byId.get(e.id)!.messages.filter((m) => m.role === "user").length, p_human: e.p_human, features: toVector(e.features as Features) }));
    remember("humans (test)", r.episodes.map((e) => e.features as Features));
    blocks.push({ agent_model: null, conditions: [condition(humansCondition, 0, stats, coverageMap(r.tasks), [`set:${set.name}:test`])] });
  }
  plan.agent_models.forEach((agentModel, agent) => {
    const conditions = plan.conditions.flatMap((c, i): ReportCondition[] => {
      if (c.kind === "humans") return [];
      const simRun = plan.sim_runs[simKey(agent, c.name)];
      if (!simRun) return [];
      const convs = runConversations(store, simRun, preparation) ?? [];
      const r = convs.length ? score(convs, `run:${simRun}`) : undefined;
      const scored = new Map((r?.episodes ?? []).map((e) => [e.id, e]));
      const episodes = listEpisodes(store, simRun);
      const runCost = runLlmUsage(store, simRun).reduce((s, u) => s + costOf(opts.prices, u.model, u.prompt_tokens, u.completion_tokens), 0);
      const priced = Object.keys(opts.prices).length > 0;
      const stats = episodes.map((e): EpisodeStats => {
        const s = scored.get(e.id);
        return {
          task_id: e.task_id, persona_key: e.persona_key, trial: e.trial, reward: e.reward, termination: e.termination, user_turns: e.user_turns,
          fidelity_flags: e.fidelity.length, prompt_tokens: e.prompt_tokens, completion_tokens: e.completion_tokens,
          // The run's priced LLM cost, spread evenly over its episodes (calls are recorded per run, not per episode).
          cost: priced ? runCost / episodes.length : null,
          ...(s ? { p_human: s.p_human, features: toVector(s.features as Features) } : {}),
        };
      });
      if (agent === 0) remember(c.name, (r?.episodes ?? []).map((e) => e.features as Features));
      const sources = [`run:${simRun}`, ...(plan.personas_runs[c.name] ? [`run:${plan.personas_runs[c.name]}`] : [])];
      return [condition(c, i + agent * plan.conditions.length, stats, coverageMap(r?.tasks ?? []), sources)];
    });
    if (conditions.length) blocks.push({ agent_model: agentModel ?? roleConfig(stored.config, "agent").targets[0]!.model, conditions });
  });
  if (!blocks.length) throw new InputError(`benchmark ${runId} has no finished condition to report`, `continue it with \`ppol benchmark --resume ${runId}\``);

  const report: BenchmarkReport = {
    format: "ppol-benchmark-report/1",
    ppol_version: opts.version,
    created_at: opts.now.toISOString(),
    domain: plan.domain,
    split: plan.split,
    personas_per_task: plan.personas_per_task,
    trials: plan.trials,
    max_steps: plan.max_steps,
    seed,
    intervals: { method: "percentile bootstrap over tasks", level: DEFAULT_LEVEL, resamples },
    weights: VALIDATION_WEIGHTS,
    human_set: plan.human_set,
    discriminator: plan.discriminator,
    user_model: roleConfig(stored.config, "user").targets[0]!.model,
    agents: blocks,
  };
  const plots: PlotData = {
    fingerprints: { humans: humanFeatures.map(toVector), conditions: fingerprints },
    features: { humans: toVector(meanFeatures(humanFeatures)), conditions: means },
  };
  return { report, plots };
}

function coverageMap(tasks: readonly { task_id: string | null; coverage: number }[]): Map<string, number> {
  return new Map(tasks.flatMap((t) => (t.task_id === null ? [] : [[t.task_id, t.coverage] as const])));
}
