/**
 * What `ppol runs` and `ppol run show` print (and the server shows): runs read back from the archive with
 * their counts, tokens, cost and a one-line summary per kind. Reads only; prices come from the config.
 */
import { InputError } from "../errors.ts";
import { costOf, type Price } from "../llm/index.ts";
import { summarize, type RunSummary } from "../sim/index.ts";
import { type EvolveBlock, evolveBlock } from "./evolve.ts";
import { timings } from "./timings.ts";
import {
  episodeCounts, getRun, listEpisodeSummaries, listRunEvents, listRuns, personaRunCounts, type RunEvent, type RunKind, type RunRow, type RunStatus,
  runLlmUsage, runsTokensByModel, type Store, listSubRuns, subRunCounts,
} from "../store/index.ts";

export interface RunListItem {
  id: string;
  /** Runs this run made (an evolve run's evaluations, a benchmark's conditions); listed with --all. */
  sub_runs: number;
  kind: RunKind;
  status: RunStatus;
  created_at: string;
  episodes: number;
  tokens: number;
  cost: number;
  summary: string;
}

type Prices = Readonly<Record<string, Price>>;

export function listRunItems(store: Store, filter: { kind?: RunKind; status?: RunStatus; limit?: number; all?: boolean }, prices: Prices): RunListItem[] {
  const runs = listRuns(store, { ...filter, topLevel: !filter.all });
  const ids = runs.map((r) => r.id);
  const subRuns = subRunCounts(store, ids);
  const episodes = episodeCounts(store, ids);
  const tokens = new Map<string, { tokens: number; cost: number }>();
  for (const t of runsTokensByModel(store, ids)) {
    const acc = tokens.get(t.run_id) ?? { tokens: 0, cost: 0 };
    acc.tokens += t.prompt_tokens + t.completion_tokens;
    acc.cost += costOf(prices, t.model, t.prompt_tokens, t.completion_tokens);
    tokens.set(t.run_id, acc);
  }
  return runs.map((r) => ({
    id: r.id,
    sub_runs: subRuns.get(r.id) ?? 0,
    kind: r.kind,
    status: r.status,
    created_at: r.created_at,
    episodes: episodes.get(r.id) ?? 0,
    tokens: tokens.get(r.id)?.tokens ?? 0,
    cost: tokens.get(r.id)?.cost ?? 0,
    summary: oneLine(store, r),
  }));
}

export interface RunDetail {
  id: string;
  kind: RunKind;
  status: RunStatus;
  /** The run that made this one, and the runs this one made. */
  parent_id: string | null;
  sub_runs: { id: string; kind: RunKind; status: RunStatus }[];
  seed: number | null;
  ppol_version: string;
  created_at: string;
  updated_at: string;
  /** What the run was asked to do (simulate: its plan) and the effective config it started with. */
  plan: unknown;
  config: unknown;
  history: RunEvent[];
  /** Seconds spent running (from the status history), and from creation to the last change. */
  timings: { running_s: number; elapsed_s: number };
  counts: Record<string, number>;
  episodes?: RunSummary;
  /** Evolve runs: the engine's summary (best, islands, grid occupancy, lineage depth), bootstrap, evaluations. */
  evolve?: EvolveBlock;
  usage: { role: string; model: string; calls: number; errors: number; prompt_tokens: number; completion_tokens: number; cost: number; mean_latency_ms: number }[];
  totals: { calls: number; tokens: number; cost: number };
  summary: string;
  /** The command that continues or follows up this run. */
  next: string;
}

export function runDetail(store: Store, id: string, prices: Prices): RunDetail {
  const run = getRun(store, id);
  if (!run) {
    const recent = listRuns(store, { limit: 5 }).map((r) => r.id);
    throw new InputError(`no run "${id}" in ${store.path}`, recent.length ? `recent runs: ${recent.join(", ")} (ppol runs lists them all)` : "this archive has no runs yet");
  }
  const stored = JSON.parse(run.config_json) as { plan?: unknown; config?: unknown };
  const history = listRunEvents(store, id);
  const usage = runLlmUsage(store, id).map((u) => ({
    role: u.role,
    model: u.model,
    calls: u.calls,
    errors: u.errors,
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    cost: costOf(prices, u.model, u.prompt_tokens, u.completion_tokens),
    mean_latency_ms: u.calls + u.errors ? u.latency_ms / (u.calls + u.errors) : 0,
  }));
  const episodes = run.kind === "simulate" ? summarize(listEpisodeSummaries(store, id)) : undefined;
  const evolve = run.kind === "evolve" ? evolveBlock(store, id) : undefined;
  const counts: Record<string, number> =
    run.kind === "personas"
      ? personaRunCounts(store, id)
      : episodes
        ? { episodes: episodes.episodes, tasks: episodes.tasks }
        : evolve
          ? { iterations: evolve.summary.iterations, proposals: evolve.summary.proposals, evaluations: evolve.summary.evaluations, generations: evolve.summary.generations }
          : {};
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    seed: run.seed,
    ppol_version: run.ppol_version,
    created_at: run.created_at,
    updated_at: run.updated_at,
    plan: stored.plan ?? null,
    config: stored.config ?? stored,
    history,
    timings: timings(run, history),
    counts,
    ...(episodes ? { episodes } : {}),
    ...(evolve ? { evolve } : {}),
    usage,
    totals: { calls: usage.reduce((s, u) => s + u.calls, 0), tokens: usage.reduce((s, u) => s + u.prompt_tokens + u.completion_tokens, 0), cost: usage.reduce((s, u) => s + u.cost, 0) },
    parent_id: run.parent_id,
    sub_runs: listSubRuns(store, run.id).map((r) => ({ id: r.id, kind: r.kind, status: r.status })),
    summary: oneLine(store, run),
    next: nextStep(run, evolve),
  };
}

function nextStep(run: RunRow, evolve?: EvolveBlock): string {
  const resume = `ppol ${run.kind} --resume ${run.id}`;
  switch (run.status) {
    case "interrupted":
    case "failed":
      return `continue it: ${resume}`;
    case "running":
      return `still running — if its process was killed, continue it: ${resume}`;
    case "done":
      if (run.kind === "simulate") return `score it: ppol score --episodes ${run.id} --human NAME --discriminator ID`;
      if (run.kind === "benchmark") return `its report: ppol serve (run page), or ppol plot ${run.id} --out DIR`;
      if (evolve?.final_sha256) return `write the chosen program: ppol export program ${evolve.final_sha256.slice(0, 12)} --out best.py`;
      return `ppol run show ${run.id} --json for every detail`;
  }
}

/** One line saying what the run is and how it went, per kind. */
function oneLine(store: Store, run: RunRow): string {
  const stored = JSON.parse(run.config_json) as Record<string, any>;
  if (run.kind === "simulate") {
    const plan = stored.plan ?? {};
    const s = summarize(listEpisodeSummaries(store, run.id));
    const who = plan.personas ? `personas ${plan.personas}` : "base simulator";
    const outcome = s.episodes ? ` · avg reward ${s.avg_reward.toFixed(2)} · pass^1 ${(s.pass_hat_k["1"] ?? 0).toFixed(2)}` : "";
    return `${plan.domain ?? "?"} · ${plan.task_ids?.length ?? 0} tasks × ${plan.trials ?? 1} trial${plan.trials === 1 ? "" : "s"} · ${who}${outcome}`;
  }
  if (run.kind === "personas") {
    const c = personaRunCounts(store, run.id);
    return `${stored.domain ?? "?"} · program ${stored.program ?? "?"} · ${c.tasks} tasks, ${c.personas} personas${c.failed ? `, ${c.failed} failed` : ""}`;
  }
  if (run.kind === "benchmark") {
    const plan = stored.plan ?? {};
    const conditions = (plan.conditions ?? []).map((c: { name: string }) => c.name).join(", ");
    const agents = (plan.agent_models ?? []).length;
    return `${plan.domain ?? "?"} ${plan.split ?? ""} · ${plan.task_ids?.length ?? 0} tasks · ${conditions}${agents > 1 ? ` · ${agents} agent models` : ""}`;
  }
  if (run.kind === "evolve" && stored.ppol) return `${stored.ppol.domain} · human ${stored.ppol.human} · program ${stored.ppol.program?.name ?? "?"} · ${stored.ppol.train_ids?.length ?? 0} train / ${stored.ppol.validation_ids?.length ?? 0} validation tasks`;
  return stored.domain ? `${stored.domain}` : "";
}
