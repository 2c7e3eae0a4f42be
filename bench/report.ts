/**
 * `bun run bench -- report`: the report and plots for 10,000 stored episodes (5 conditions × 20 tasks ×
 * 10 personas × 10 trials, synthetic rows in a temporary archive) against a 300-dialogue human reference.
 * Goal: ≤ 10 s in total, printed split into queries (episodes out of the archive), statistics (fingerprints,
 * HL, coverage, task-bootstrap intervals, PCA) and rendering (report.md/json/csv and four SVG plots).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { userTurns } from "../src/model/index.ts";
import { CUE_SETS, fingerprint, type Features, meanFeatures, pHuman, prepareCloud, taskCoverage, toVector, trainDiscriminator } from "../src/fitness/index.ts";
import { createRng } from "../src/rng.ts";
import { aggregateTasks, type BenchmarkReport, conditionMetrics, type EpisodeStats, writeRunOutputs } from "../src/report/index.ts";
import { episodeToConversation } from "../src/conversations/index.ts";
import { createRun, listEpisodes, openStore } from "../src/store/index.ts";
import { addEpisodes, addRun, episodeRecord } from "../tests/support/archive.ts";
import { report } from "./_util.ts";

const rng = createRng(42);
const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
const words = "i need to change my flight booking order refund the a for on please thanks why is it not working again today".split(" ");
const extras = ["ugh", "maybe", "are you sure?", "ok", "#W1234567", "how about tuesday instead", "thank you so much", "what do you mean", "this is ridiculous"];
const turn = (len: number) => [...Array.from({ length: 1 + rng.int(len) }, () => pick(words)), ...(rng.next() < 0.5 ? [pick(extras)] : [])].join(" ");

const CONDITIONS = ["base", "dp", "ppol-initial", "ppol-evolved", "ood:impatient"] as const;
const TASKS = 20;
const PERSONAS = 10;
const TRIALS = 10;

// ---- set-up (not timed): the archive, the human reference, a trained discriminator ----
const dir = mkdtempSync(join(tmpdir(), "ppol-bench-report-"));
const store = openStore(join(dir, "a.sqlite"));
CONDITIONS.forEach((name, c) => {
  const runId = `sim-${name}`;
  addRun(store, runId, "simulate");
  const rows = [];
  for (let t = 0; t < TASKS; t++)
    for (let p = 0; p < PERSONAS; p++)
      for (let trial = 0; trial < TRIALS; trial++) {
        const user = Array.from({ length: 3 + rng.int(5) }, () => turn(4 + 3 * c));
        const messages = user.flatMap((content, i) => [{ role: "assistant" as const, content: "How can I help?", turn: 2 * i }, { role: "user" as const, content, turn: 2 * i + 1 }]);
        rows.push(episodeRecord({ run_id: runId, task_id: String(t), persona_key: name === "base" ? "" : `p${p}`, trial: name === "base" ? p * TRIALS + trial : trial, reward: rng.next() < 0.6 - 0.05 * c ? 1 : 0, messages, user_turns: user.length, fidelity: rng.next() < 0.1 ? [{ turn: 1, kind: "new_goal", evidence: "x" }] : [], prompt_tokens: 2000 + rng.int(500), completion_tokens: 200 + rng.int(100) }));
      }
  addEpisodes(store, rows);
});
const humans: Features[] = Array.from({ length: 300 }, () => fingerprint(Array.from({ length: 3 + rng.int(6) }, () => turn(5))));
const simulated: Features[] = Array.from({ length: 300 }, () => fingerprint(Array.from({ length: 4 }, () => turn(14))));
const model = trainDiscriminator(humans, simulated, { cue_version: CUE_SETS.ref.version, preparation: "reference", normalization: "none", human: { name: "h", n: 300, hash: "" }, simulator: { name: "s", n: 300, hash: "" }, models: {} }).model;

const time = async <T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> => {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
};

// ---- queries: every condition's episodes out of the archive ----
const queries = await time(() => CONDITIONS.map((name) => ({ name, episodes: listEpisodes(store, `sim-${name}`) })));
const total = queries.value.reduce((s, c) => s + c.episodes.length, 0);

// ---- statistics: fingerprints, HL, coverage per task, intervals, PCA ----
const statistics = await time(() => {
  const cloud = prepareCloud(humans.map(toVector), { space: "z" });
  return queries.value.map(({ name, episodes }) => {
    const features = episodes.map((e) => fingerprint(userTurns(episodeToConversation(e))));
    const byTask = new Map<string, number[][]>();
    episodes.forEach((e, i) => (byTask.get(e.task_id) ?? byTask.set(e.task_id, []).get(e.task_id)!).push(toVector(features[i]!)));
    const coverage = new Map([...byTask].map(([task, P]) => [task, taskCoverage(P, cloud)]));
    const stats: EpisodeStats[] = episodes.map((e, i) => ({ ...e, fidelity_flags: e.fidelity.length, cost: null, p_human: pHuman(model, features[i]!), features: toVector(features[i]!) }));
    const metrics = conditionMetrics(aggregateTasks(stats, coverage), { rng: createRng(42), humans });
    return { name, features, metrics, episodes: episodes.length };
  });
});

// ---- rendering: the three report files and four plots ----
const outDir = join(dir, "out");
const rendering = await time(async () => {
  const result: BenchmarkReport = {
    format: "ppol-benchmark-report/1", ppol_version: "bench", created_at: new Date().toISOString(), domain: "airline", split: "test", personas_per_task: PERSONAS, trials: TRIALS, max_steps: 30, seed: 42,
    intervals: { method: "percentile bootstrap over tasks", level: 0.95, resamples: 1000 }, weights: { h: 0.5, c: 0.5 }, human_set: "h", discriminator: "d", user_model: "u",
    agents: [{ agent_model: "agent-m", conditions: statistics.value.map((c) => ({ name: c.name, kind: c.name.startsWith("ood") ? "ood" as const : c.name as "base", sources: [`sim-${c.name}`], episodes: c.episodes, tasks: TASKS, metrics: c.metrics })) }],
  };
  createRun(store, { id: "bench-report", kind: "benchmark", config: {}, version: "bench", now: new Date() });
  const evolution = [0, 1, 2, 3].flatMap((island) => Array.from({ length: 100 }, (_, iteration) => ({ island, iteration, train_score: 0.3 + iteration / 300, val_score: iteration % 10 ? null : 0.3 + iteration / 350, hl: 0.4 + iteration / 400, cov: 0.5 + iteration / 500 })));
  const grid = [0, 1, 2, 3].flatMap((island) => Array.from({ length: 100 }, (_, i) => ({ island, x: i % 10, y: Math.floor(i / 10), score: rng.next() })));
  // What `ppol benchmark` does with its report: render once, keep with the run, write to the folder.
  return writeRunOutputs(store, "bench-report", {
    report: result,
    plots: {
      evolution,
      grid,
      fingerprints: { humans: humans.map(toVector), conditions: statistics.value.map((c) => ({ name: c.name, fingerprints: c.features.map(toVector) })) },
      features: { humans: toVector(meanFeatures(humans)), conditions: statistics.value.map((c) => ({ name: c.name, means: toVector(meanFeatures(c.features)) })) },
    },
  }, outDir, new Date());
});
store.close();
rmSync(dir, { recursive: true, force: true });

report(`queries: ${total.toLocaleString("en")} episodes from the archive`, queries.ms, "ms");
report("statistics: fingerprints, HL, Cov, 1,000-resample CIs, ×5", statistics.ms, "ms");
report(`rendering: report.md/json/csv + ${rendering.value.length - 3} SVG plots`, rendering.ms, "ms");
report("report and plots for 10,000 episodes, total", (queries.ms + statistics.ms + rendering.ms) / 1000, "s", { max: 10 });
