/** The export stages behind `ppol export <kind>`: read from the archive or given texts, write files atomically. */
import { join } from "node:path";
import { InputError } from "../../errors.ts";
import { ensureOutputDir, writeFileAtomic } from "../../files.ts";
import type { PersonaRef } from "../../sim/index.ts";
import { getRun, listEpisodes, type PersonaRow, type Store } from "../../store/index.ts";
import { datasetCard, type SftCardInput, type SftRunCount } from "./card.ts";
import { personasCsv, personasJsonl } from "./personas.ts";
import { type SftContext, toOpenAiChat, toShareGpt } from "./sft.ts";
import { personaTasks } from "./tau2-tasks.ts";

/** The four files of a τ² domain folder, as text. */
export interface DomainTexts {
  "db.json": string;
  "tasks.json": string;
  "policy.md": string;
  "split_tasks.json": string;
}

/**
 * Write `outDir/<domain>/` as a complete τ² domain folder whose tasks are the persona-expanded ones:
 * tasks.json and split_tasks.json new, db.json and policy.md copied byte for byte. Usable as
 * `--tau2-data outDir` by ppol and as a domain folder by upstream τ²-bench.
 */
export function exportTau2Tasks(opts: { domain: string; source: string; files: DomainTexts; taskIds: readonly string[]; personas: ReadonlyMap<string, readonly PersonaRef[]>; outDir: string }) {
  const result = personaTasks({ tasksJson: opts.files["tasks.json"], splitsJson: opts.files["split_tasks.json"], source: opts.source, taskIds: opts.taskIds, personas: opts.personas });
  if (!result.tasks.length) throw new InputError(`none of the ${opts.taskIds.length} selected tasks has personas`, "check --personas and the task selection (a personas run covers only the tasks it generated for)");
  ensureOutputDir(opts.outDir);
  const dir = join(opts.outDir, opts.domain);
  ensureOutputDir(dir);
  writeFileAtomic(join(dir, "tasks.json"), `${JSON.stringify(result.tasks, null, 4)}\n`);
  writeFileAtomic(join(dir, "split_tasks.json"), `${JSON.stringify(result.splits, null, 4)}\n`);
  writeFileAtomic(join(dir, "db.json"), opts.files["db.json"]);
  writeFileAtomic(join(dir, "policy.md"), opts.files["policy.md"]);
  return { dir, tasks: result.tasks.length, exportedFrom: opts.taskIds.length - result.skipped.length, skipped: result.skipped };
}

export const SFT_FILES = { sharegpt: "sharegpt.json", openai: "openai.jsonl", dataset_info: "dataset_info.json", card: "README.md" } as const;

/**
 * Successful episodes of simulate runs as LLaMA-Factory ShareGPT and OpenAI chat JSONL, with a
 * dataset_info.json entry for LLaMA-Factory and the dataset card. `context` gives each run's agent system
 * prompt and tool schemas (the CLI loads the run's τ² domain for them).
 */
export function exportSft(
  store: Store,
  opts: { runIds: readonly string[]; minReward: number; outDir: string; context: (runId: string, domain: string) => SftContext; version: string; now: Date },
): SftCardInput {
  ensureOutputDir(opts.outDir);
  const sharegpt: unknown[] = [];
  const openai: string[] = [];
  const skipped: Record<string, number> = {};
  const runs: SftRunCount[] = [];
  for (const runId of opts.runIds) {
    const run = getRun(store, runId);
    if (!run || run.kind !== "simulate") throw new InputError(`--runs: no simulate run "${runId}" in ${store.path}`, "list runs with `ppol archive info`");
    const episodes = listEpisodes(store, runId);
    const kept = episodes.filter((e) => e.termination !== "infrastructure_error" && e.reward !== null && e.reward >= opts.minReward - 1e-9);
    const count: SftRunCount = {
      run_id: runId,
      domain: episodes[0]?.domain ?? "",
      episodes: episodes.length,
      successful: kept.length,
      sharegpt: 0,
      openai: 0,
      agent_models: [...new Set(episodes.flatMap((e) => (e.agent_model ? [e.agent_model] : [])))],
      user_models: [...new Set(episodes.flatMap((e) => (e.user_model ? [e.user_model] : [])))],
      personas: new Set(kept.map((e) => e.persona_key).filter(Boolean)).size,
    };
    for (const e of kept) {
      const ctx = opts.context(runId, e.domain);
      const a = toShareGpt(e.messages, ctx);
      const b = toOpenAiChat(e.messages, ctx);
      if (typeof a === "string") skipped[`ShareGPT: ${a}`] = (skipped[`ShareGPT: ${a}`] ?? 0) + 1;
      else (sharegpt.push(a), count.sharegpt++);
      if (typeof b === "string") skipped[`OpenAI: ${b}`] = (skipped[`OpenAI: ${b}`] ?? 0) + 1;
      else (openai.push(JSON.stringify(b)), count.openai++);
    }
    runs.push(count);
  }
  const card: SftCardInput = { ppol_version: opts.version, created_at: opts.now.toISOString(), min_reward: opts.minReward, runs, skipped, files: { sharegpt: SFT_FILES.sharegpt, openai: SFT_FILES.openai, dataset_info: SFT_FILES.dataset_info } };
  writeFileAtomic(join(opts.outDir, SFT_FILES.sharegpt), `${JSON.stringify(sharegpt, null, 2)}\n`);
  writeFileAtomic(join(opts.outDir, SFT_FILES.openai), openai.map((l) => `${l}\n`).join(""));
  writeFileAtomic(join(opts.outDir, SFT_FILES.dataset_info), `${JSON.stringify(LLAMA_FACTORY_ENTRY, null, 2)}\n`);
  writeFileAtomic(join(opts.outDir, SFT_FILES.card), datasetCard(card));
  return card;
}

/** How LLaMA-Factory finds the ShareGPT file (merge this entry into its data/dataset_info.json). */
const LLAMA_FACTORY_ENTRY = {
  ppol_sft: { file_name: SFT_FILES.sharegpt, formatting: "sharegpt", columns: { messages: "conversations", system: "system", tools: "tools" } },
};

export const PERSONA_FORMATS = ["jsonl", "csv"] as const;
export type PersonaFormat = (typeof PERSONA_FORMATS)[number];

export function exportPersonas(rows: readonly PersonaRow[], out: string, format: PersonaFormat): number {
  writeFileAtomic(out, format === "csv" ? personasCsv(rows) : personasJsonl(rows));
  return rows.length;
}

export function exportProgram(code: string, out: string): number {
  writeFileAtomic(out, code.endsWith("\n") ? code : `${code}\n`);
  return code.split("\n").length;
}
