import { exportSource, toJsonl } from "../conversations/index.ts";
import { UsageError } from "../errors.ts";
import { resolvePath, writeFileAtomic } from "../files.ts";
import { Split } from "../store/index.ts";
import { defineCommand, str } from "./command.ts";
import { preparationOf, sourcesOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";

export default defineCommand({
  name: "export conversations",
  summary: "write a run's episodes, a stored set or a conversation file as interchange JSONL",
  usage: "ppol export conversations RUN|SET|FILE [--out FILE.jsonl] [--split train|test] [--strip-control] [--normalize]",
  description:
    "One conversation per line in ppol's interchange format ({id, source, domain, task_id, messages, meta}), to stdout without --out\n" +
    "(`ppol conversations export` is the same command). A run's episodes carry tool calls, reward, persona and models in meta\n" +
    "(episodes that ended in infrastructure, agent or user errors are left out); a set's conversations carry their task split in\n" +
    "meta.split; a file in any supported format is converted. A run's user turns keep ###STOP### as the PPol reference does,\n" +
    "unless --strip-control; a set is written as it was imported (or stripped with --strip-control). meta.preparation says\n" +
    "which, so a stripped file is never read back as reference.",
  options: {
    out: { type: "string", valueName: "FILE.jsonl", description: "write here instead of stdout (its folder must exist)" },
    split: { type: "string", valueName: "train|test", description: "only one side of a stored set's split" },
    ...STRIP_CONTROL_OPTION,
    normalize: { type: "boolean", description: "lower-case and delete punctuation" },
  },
  positionals: { min: 1, max: 1, names: "RUN|SET|FILE" },
  examples: [
    "ppol export conversations sim-20261201-0930-ab12cd34 --out episodes.jsonl",
    "ppol export conversations usi-airline --split test | ppol fingerprint /dev/stdin --format jsonl",
  ],
  run(ctx) {
    const splitName = str(ctx.values, "split");
    const split = splitName === undefined ? undefined : Split.safeParse(splitName);
    if (split && !split.success) throw new UsageError(`export conversations: unknown --split "${splitName}"`, "use train or test");
    const { label, conversations } = exportSource(sourcesOf(ctx), ctx.positionals[0]!, {
      preparation: preparationOf(ctx),
      ...(split?.data ? { split: split.data } : {}),
      normalize: ctx.values.normalize === true,
    });
    const out = str(ctx.values, "out");
    if (!out) {
      ctx.io.out(toJsonl(conversations).trimEnd());
      return;
    }
    writeFileAtomic(resolvePath(ctx.cwd, out), toJsonl(conversations));
    ctx.io.out(`wrote ${conversations.length} conversations from ${label} to ${out}`);
  },
});
