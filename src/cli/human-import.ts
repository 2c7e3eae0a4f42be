import { basename } from "node:path";
import { assignSplit, FORMATS, loadTaskSplits, normalizeAll, readConversations, SPLIT_RULES, type SplitRule } from "../conversations/index.ts";
import { userTurns } from "../model/index.ts";
import { InputError, UsageError } from "../errors.ts";
import { saveConversationSet } from "../store/index.ts";
import { defineCommand, JSON_OPTION, str } from "./command.ts";
import { preparationOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";

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
    const format = str(ctx.values, "format");
    if (!format) throw new UsageError("human import: --format is required", `use one of: ${FORMATS.join(", ")}`);
    const rule = (str(ctx.values, "split") ?? "tau2") as SplitRule;
    if (!SPLIT_RULES.includes(rule)) throw new UsageError(`human import: unknown --split "${rule}"`, `use one of: ${SPLIT_RULES.join(", ")}`);
    const kind = str(ctx.values, "kind") ?? "human";
    if (kind !== "human" && kind !== "simulator") throw new UsageError(`human import: unknown --kind "${kind}"`, "use human or simulator");
    const space = str(ctx.values, "space") ?? (format === "tau-usi" ? "raw" : "z");
    if (space !== "raw" && space !== "z") throw new UsageError(`human import: unknown --space "${space}"`, "use raw or z");
    const domain = str(ctx.values, "domain");
    const preparation = preparationOf(ctx);
    const files = ctx.positionals.map((f) => (f.startsWith("/") ? f : `${ctx.cwd}/${f}`));
    let all = files.flatMap((f) => readConversations(f, format, { ...(domain ? { domain } : {}), source: kind, preparation }));
    const total = all.length;
    all = all.filter((c) => userTurns(c).length > 0);
    const skipped = total - all.length;
    if (all.length === 0)
      throw new InputError(`${ctx.positionals.join(", ")}: no conversation with a user turn${domain ? ` in domain "${domain}"` : ""}`, "check --format and --domain");
    const normalization = ctx.values.normalize ? "lower-punct" : "none";
    all = normalizeAll(all, normalization);
    const tau2 = ctx.config().config.defaults.tau2_data;
    const splits = rule === "tau2" && tau2 ? loadTaskSplits(tau2.startsWith("/") ? tau2 : `${ctx.cwd}/${tau2}`, all.flatMap((c) => (c.domain ? [c.domain] : []))) : undefined;
    const items = all.map((conversation) => ({ conversation, split: assignSplit(conversation, rule, splits) }));
    const usedTau2 = rule === "tau2" && all.some((c) => c.domain && c.task_id !== undefined && splits?.get(c.domain)?.has(c.task_id));
    const hasTaskIds = all.some((c) => c.task_id !== undefined);
    const ruleText =
      rule !== "tau2" ? rule
      : usedTau2 ? "tau2 (hash for tasks outside the τ² split)"
      : !hasTaskIds ? "hash (no task ids in this corpus)"
      : splits?.size ? "hash (task ids not in the τ² split)"
      : "hash (no τ² split found: pass --tau2-data DIR for the τ² split)";
    const setDomain = domain ?? (new Set(all.map((c) => c.domain)).size === 1 ? all[0]!.domain : undefined) ?? null;
    const name = str(ctx.values, "name") ?? `${format}-${setDomain ?? basename(ctx.positionals[0]!).replace(/\.[^.]+$/, "")}`;
    const row = saveConversationSet(
      ctx.store(),
      { name, kind, format, domain: setDomain, source_files: ctx.positionals.map((f) => basename(f)), normalization, preparation, split_rule: ruleText, space },
      items,
      { replace: ctx.values.replace === true, now: new Date() },
    );
    const train = items.filter((i) => i.split === "train").length;
    const summary = { name: row.name, kind, n: row.n, train, test: row.n - train, skipped_no_user_turns: skipped, split_rule: ruleText, normalization, preparation, space, content_hash: row.content_hash };
    if (ctx.values.json) ctx.io.out(JSON.stringify(summary));
    else
      ctx.io.out(
        `imported ${row.n} conversations into "${row.name}" (${kind}; train ${train} / test ${row.n - train}; split ${ruleText}; preparation ${preparation}; normalization ${normalization}; space ${space})` +
          (skipped ? `; skipped ${skipped} with no user turns` : ""),
      );
  },
});
