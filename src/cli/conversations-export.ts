import { normalizeAll, toJsonl, writeJsonl } from "../conversations/index.ts";
import { type Conversation } from "../model/index.ts";
import { InputError, UsageError } from "../errors.ts";
import { getConversationSet, listConversationSets, loadConversations, Split } from "../store/index.ts";
import { defineCommand, str } from "./command.ts";

export default defineCommand({
  name: "conversations export",
  summary: "write a stored conversation set as ppol JSONL",
  usage: "ppol conversations export NAME [--out FILE] [--split train|test] [--normalize]",
  description:
    "Writes one conversation per line in the interchange format (to stdout without --out). The task split goes into meta.split, " +
    "the set's preparation into meta.preparation (a --strip-control export cannot be re-imported without --strip-control).",
  options: {
    out: { type: "string", valueName: "FILE", description: "write here instead of stdout" },
    split: { type: "string", valueName: "train|test", description: "only one side of the split" },
    normalize: { type: "boolean", description: "lower-case and delete punctuation" },
  },
  positionals: { min: 1, max: 1, names: "NAME" },
  examples: ["ppol conversations export mdg-airline --out mdg.jsonl", "ppol conversations export usi-airline --split test | ppol fingerprint /dev/stdin --format jsonl"],
  run(ctx) {
    const name = ctx.positionals[0]!;
    const store = ctx.store();
    const set = getConversationSet(store, name);
    if (!set) {
      const known = listConversationSets(store).map((s) => s.name);
      throw new InputError(`no conversation set "${name}" in the archive`, known.length ? `stored sets: ${known.join(", ")}` : "import one with `ppol human import`");
    }
    const splitName = str(ctx.values, "split");
    const parsed = splitName === undefined ? undefined : Split.safeParse(splitName);
    if (parsed && !parsed.success) throw new UsageError(`conversations export: unknown --split "${splitName}"`, "use train or test");
    let conversations: Conversation[] = loadConversations(store, name, parsed?.data).map(({ conversation, split }) => ({ ...conversation, meta: { ...conversation.meta, split, preparation: set.preparation } }));
    if (ctx.values.normalize) conversations = normalizeAll(conversations, "lower-punct");
    const out = str(ctx.values, "out");
    if (out) {
      writeJsonl(out.startsWith("/") ? out : `${ctx.cwd}/${out}`, conversations);
      ctx.io.err(`wrote ${conversations.length} conversations to ${out}`);
    } else ctx.io.out(toJsonl(conversations).trimEnd());
  },
});
