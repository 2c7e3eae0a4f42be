import { type ConversationSources, conversationSources } from "../conversations/index.ts";
import { UsageError } from "../errors.ts";
import { CUE_SET_NAMES, type CueSet, type FitnessDeps, type HumanSplit, resolveCueSet } from "../fitness/index.ts";
import type { Preparation } from "../model/index.ts";
import { fitnessArchive } from "../store/index.ts";
import { type CommandContext, type OptionSpec, str } from "./command.ts";

/** `--cues NAME`: the fingerprint's cue set, over `fitness.cues` in ppol.toml (default ref). */
export const CUES_OPTION: Record<string, OptionSpec> = {
  cues: { type: "string", valueName: CUE_SET_NAMES.join("|"), description: "cue set of the fingerprint (default fitness.cues, else ref: the PPol reference's pattern banks)" },
};

/** `--strip-control`: the non-default preparation mode (conversations/prepare.ts). */
export const STRIP_CONTROL_OPTION: Record<string, OptionSpec> = {
  "strip-control": { type: "boolean", description: "remove control turns (\\tau, /stop, \\reward) and the simulator's ###STOP###-style tokens (default: kept as text, as the PPol reference does)" },
};

/** The cue set in effect: --cues, else fitness.cues; an unknown name is a usage error naming its source. */
export function cueSetOf(ctx: CommandContext): CueSet {
  const flag = str(ctx.values, "cues");
  if (flag !== undefined) return resolveCueSet(flag, "--cues");
  const { config, sources } = ctx.config();
  const source = sources["fitness.cues"] ?? "default";
  return resolveCueSet(config.fitness.cues, `fitness.cues (${source})`);
}

export function preparationOf(ctx: CommandContext): Preparation {
  return ctx.values["strip-control"] === true ? "strip-control" : "reference";
}

/** Named conversation sources for a command: stored sets and runs in its archive (opened on first use), files under its working directory. */
export function sourcesOf(ctx: CommandContext): ConversationSources {
  return conversationSources({ store: () => ctx.store(), cwd: ctx.cwd });
}

/** What the fitness stage needs from a command: its sources and its archive. */
export function fitnessDeps(ctx: CommandContext): FitnessDeps {
  return { sources: sourcesOf(ctx), archive: fitnessArchive(ctx.store()) };
}

/** `--human-split` of `command`: train, test or all (default `fallback`). */
export function humanSplitOf(ctx: CommandContext, command: string, fallback: HumanSplit): HumanSplit {
  const split = str(ctx.values, "human-split") ?? fallback;
  if (split !== "train" && split !== "test" && split !== "all") throw new UsageError(`${command}: unknown --human-split "${split}"`, `use ${fallback === "train" ? "train, test or all" : "all, train or test"}`);
  return split;
}
