import { readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { exportSft, SFT_FILES, type SftContext } from "../report/index.ts";
import { agentSystemPrompt } from "../sim/index.ts";
import { getRun } from "../store/index.ts";
import { agentTools } from "../tau2/index.ts";
import { defineCommand, str } from "./command.ts";
import { domainFromContext } from "./tau2-args.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "export sft",
  summary: "write successful episodes as fine-tuning data (LLaMA-Factory ShareGPT + OpenAI chat JSONL) with a dataset card",
  usage: "ppol export sft --runs RUN[,RUN…] --out DIR [--min-reward R]",
  description:
    "Episodes of the given simulate runs with reward ≥ R (default 1) become agent training conversations:\n" +
    `DIR/${SFT_FILES.sharegpt} (LLaMA-Factory sharegpt with tools; ${SFT_FILES.dataset_info} registers it), DIR/${SFT_FILES.openai}\n` +
    `(OpenAI chat fine-tuning format with tools) and DIR/${SFT_FILES.card} (counts, sources, filters, licence notes).\n` +
    "The agent's system prompt and tool schemas come from the run's τ² domain (--tau2-data or the archive).",
  options: {
    runs: { type: "string", valueName: "RUN,…", description: "simulate run ids, comma-separated" },
    out: { type: "string", valueName: "DIR", description: "output folder (created; its parent must exist)" },
    "min-reward": { type: "string", valueName: "R", description: "keep episodes with reward ≥ R (default 1)" },
  },
  examples: ["ppol export sft --runs sim-20261201-0930-ab12cd34 --out sft-base", "ppol export sft --runs sim-a,sim-b --min-reward 1 --out sft-mixed"],
  run(ctx) {
    const [runs, out, minRaw] = [str(ctx.values, "runs"), str(ctx.values, "out"), str(ctx.values, "min-reward")];
    if (!runs || !out) throw new UsageError("export sft: --runs and --out are required", "e.g. --runs sim-20261201-0930-ab12cd34 --out sft");
    const minReward = minRaw === undefined ? 1 : Number(minRaw);
    if (minRaw !== undefined && (minRaw.trim() === "" || !Number.isFinite(minReward))) throw new UsageError(`--min-reward: "${minRaw}" is not a number`, "e.g. --min-reward 1");
    const store = ctx.store();
    const contexts = new Map<string, SftContext>();
    const context = (runId: string, domainName: string): SftContext => {
      const key = `${runId}\n${domainName}`;
      let c = contexts.get(key);
      if (!c) {
        const domain = domainFromContext(ctx, domainName);
        // The schemas the run showed its agent: a --tool-schemas file when it used one.
        const schemaFile = (JSON.parse(getRun(store, runId)?.config_json ?? "{}") as { plan?: { tool_schemas?: string | null } }).plan?.tool_schemas;
        const tools = agentTools(domain, schemaFile === "ppol" ? "ppol" : schemaFile ? { text: readFileSync(schemaFile, "utf8"), path: schemaFile } : undefined).schemas;
        contexts.set(key, (c = { system: agentSystemPrompt(domain.policy), tools }));
      }
      return c;
    };
    const card = exportSft(store, {
      runIds: runs.split(",").map((r) => r.trim()).filter(Boolean),
      minReward,
      outDir: resolvePath(ctx.cwd, out),
      context,
      version: versionInfo().ppol,
      now: new Date(),
    });
    const sum = (k: "episodes" | "successful" | "sharegpt" | "openai") => card.runs.reduce((s, r) => s + r[k], 0);
    if (sum("successful") === 0) ctx.io.err(`ppol: warning: no episode has reward ≥ ${minReward}; the files are empty`);
    ctx.io.out(`wrote ${sum("sharegpt")} ShareGPT and ${sum("openai")} OpenAI conversations (${sum("successful")} of ${sum("episodes")} episodes with reward ≥ ${minReward}) and ${SFT_FILES.card} to ${out}/`);
  },
});
