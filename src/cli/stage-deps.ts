/**
 * What the commands that run stages hand them: the LLM client of a run (closed when the command ends),
 * the sandbox pool, τ² domains from the data folder or the archive, the clock and Ctrl-C. One place, so
 * every command wires the stages the same way.
 */
import type { Config } from "../config/index.ts";
import { createLlm, type Llm } from "../llm/index.ts";
import type { PersonaRunDeps } from "../personas/index.ts";
import { createSandboxPool, type SandboxPool } from "../python/index.ts";
import type { SimRunDeps } from "../sim/index.ts";
import { type CommandContext, positiveFlag } from "./command.ts";
import { domainFromContext } from "./tau2-args.ts";
import { versionInfo } from "./version.ts";

/** An LLM client per run (for the command's config unless a stage passes another), with --max-tokens / --max-cost. */
export function llmFactory(ctx: CommandContext): (runId: string, config?: Config) => Llm {
  const budget = { maxTokens: positiveFlag(ctx.values, "max-tokens"), maxCost: positiveFlag(ctx.values, "max-cost") };
  return (runId, config = ctx.config().config) => {
    const llm = createLlm({ config, store: ctx.store(), runId, env: ctx.env, budget, onWarning: (m) => ctx.io.err(`ppol: warning: ${m}`) });
    ctx.onExit(() => llm.close());
    return llm;
  };
}

/** One sandbox pool for the command, made on first use (a run that needs none boots no Python). */
export function poolFactory(ctx: CommandContext): (unsafe: boolean, spares: number) => SandboxPool {
  let pool: SandboxPool | undefined;
  return (unsafe, spares) => {
    if (unsafe) ctx.io.err("ppol: warning: --unsafe-sandbox: the program runs WITHOUT OS confinement (recorded in the run)");
    if (!pool) {
      pool = createSandboxPool({ assets: ctx.pythonAssets, cacheRoot: ctx.cacheRoot, unsafe, spares });
      const p = pool;
      ctx.onExit(() => p.close());
    }
    return pool;
  };
}

export function personaRunDeps(ctx: CommandContext, onTask?: PersonaRunDeps["onTask"]): PersonaRunDeps {
  return { store: ctx.store(), llm: llmFactory(ctx), pool: poolFactory(ctx), seed: ctx.config().config.defaults.seed, version: versionInfo().ppol, signal: ctx.signal, ...(onTask ? { onTask } : {}) };
}

export function simRunDeps(ctx: CommandContext, extra: Pick<SimRunDeps, "concurrency" | "onPlanned" | "onEpisode"> & { onPersonaTask?: PersonaRunDeps["onTask"] }): SimRunDeps {
  return {
    store: ctx.store(),
    config: ctx.config().config,
    configSources: ctx.config().sources,
    llm: llmFactory(ctx),
    domain: (name) => domainFromContext(ctx, name),
    cwd: ctx.cwd,
    version: versionInfo().ppol,
    signal: ctx.signal,
    personas: { pool: poolFactory(ctx), ...(extra.onPersonaTask ? { onTask: extra.onPersonaTask } : {}) },
    ...(extra.concurrency ? { concurrency: extra.concurrency } : {}),
    ...(extra.onPlanned ? { onPlanned: extra.onPlanned } : {}),
    ...(extra.onEpisode ? { onEpisode: extra.onEpisode } : {}),
  };
}
