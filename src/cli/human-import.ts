import { FORMATS, importSet, parseFormat, SPLIT_RULES, type SplitRule } from "../conversations/index.ts";
import { UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { preparationOf, sourcesOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";

export default defineCommand({
  name: "human import",
  summary: "store a human reference set (or simulator episodes) from conversation files",
  usage: "ppol human import FILE... --format tau-usi|jsonl|tau-bench|multidogo [--domain D] [--name NAME] [--strip-control] [--normalize] [--split RULE]",
  description:
    "Reads the files, drops conversations without user turns (counted in the summary), assigns each task to train or test, " +
    "and stores the set. Split rules: tau2 (default: the τ² task split from --tau2-data; conversations without a τ² task id, " +
    "e.g. MultiDoGO, fall back to hash), hash (FNV-1a of domain/task id or conversation id, 1 in 5 to test), train, test. " +
    "--normalize lower-cases and deletes punctuation at import; a discriminator trained on such a set normalises both sides. " +
    "Preparation (stored with the set): by default as the PPol reference does, τ-USI loses only its leading \\tau/canvas setup turns " +
    "(conversations need ≥ 2 messages after them) and /stop, \\reward and ###STOP### stay as text; --strip-control removes them. " +
    "Empty or whitespace-only user turns are dropped either way. Simulator episodes must be prepared the same way to be compared.",
  options: {
    format: { type: "string", valueName: FORMATS.join("|"), description: "file format (required)" },
    domain: { type: "string", valueName: "D", description: "keep only this domain (τ-USI) / the domain to record" },
    name: { type: "string", valueName: "NAME", description: "set name (default FORMAT-DOMAIN)" },
    ...STRIP_CONTROL_OPTION,
    normalize: { type: "boolean", description: "lower-case and delete punctuation (when the other corpus has none, e.g. MultiDoGO)" },
    split: { type: "string", valueName: SPLIT_RULES.join("|"), description: "train/test assignment rule (default tau2)" },
    kind: { type: "string", valueName: "human|simulator", description: "what the set holds (default human)" },
    space: { type: "string", valueName: "raw|z", description: "default coverage space (default raw for τ-USI, z otherwise)" },
    replace: { type: "boolean", description: "overwrite an existing set of that name" },
    ...JSON_OPTION,
  },
  positionals: { min: 1, max: 64, names: "FILE..." },
  examples: [
    "ppol human import tau_bench_human.json --format tau-usi --domain airline --name usi-airline",
    "ppol human import ../shared/corpora/multidogo/airline/train.tsv ../shared/corpora/multidogo/airline/dev.tsv --format multidogo --name mdg-airline",
  ],
  run(ctx) {
    const formatName = str(ctx.values, "format");
    if (!formatName) throw new UsageError("human import: --format is required", `use one of: ${FORMATS.join(", ")}`);
    const format = parseFormat(formatName);
    const rule = (str(ctx.values, "split") ?? "tau2") as SplitRule;
    if (!SPLIT_RULES.includes(rule)) throw new UsageError(`human import: unknown --split "${rule}"`, `use one of: ${SPLIT_RULES.join(", ")}`);
    const kind = str(ctx.values, "kind") ?? "human";
    if (kind !== "human" && kind !== "simulator") throw new UsageError(`human import: unknown --kind "${kind}"`, "use human or simulator");
    const space = str(ctx.values, "space");
    if (space !== undefined && space !== "raw" && space !== "z") throw new UsageError(`human import: unknown --space "${space}"`, "use raw or z");
    const [domain, name, tau2] = [str(ctx.values, "domain"), str(ctx.values, "name"), ctx.config().config.defaults.tau2_data];
    const s = importSet(
      { sources: sourcesOf(ctx), store: ctx.store() },
      {
        files: ctx.positionals,
        format,
        ...(domain ? { domain } : {}),
        ...(name ? { name } : {}),
        kind,
        preparation: preparationOf(ctx),
        normalization: ctx.values.normalize ? "lower-punct" : "none",
        rule,
        ...(space ? { space } : {}),
        ...(tau2 ? { tau2Dir: resolvePath(ctx.cwd, tau2) } : {}),
        replace: ctx.values.replace === true,
        now: new Date(),
      },
    );
    if (ctx.values.json) ctx.io.out(JSON.stringify(s));
    else
      ctx.io.out(
        `imported ${s.n} conversations into "${s.name}" (${s.kind}; train ${s.train} / test ${s.test}; split ${s.split_rule}; preparation ${s.preparation}; normalization ${s.normalization}; space ${s.space})` +
          (s.skipped_no_user_turns ? `; skipped ${s.skipped_no_user_turns} with no user turns` : ""),
      );
  },
});
