import { existsSync } from "node:fs";
import { prepareAll, readConversations } from "../conversations/index.ts";
import { UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { exportConversations } from "../report/index.ts";
import { runConversations } from "../sim/index.ts";
import { resolveConversationSource } from "../store/index.ts";
import { defineCommand, str } from "./command.ts";
import { preparationOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";

export default defineCommand({
  name: "export conversations",
  summary: "write a run's episodes or a stored conversation set as interchange JSONL",
  usage: "ppol export conversations RUN|SET --out FILE.jsonl [--strip-control]",
  description:
    "One conversation per line in ppol's interchange format ({id, source, domain, task_id, messages, meta}); a run's\n" +
    "episodes carry tool calls, reward, persona and models in meta (infrastructure failures are left out).\n" +
    "A run's user turns keep ###STOP### as the PPol reference does, unless --strip-control; a set is written as it was\n" +
    "imported (or stripped with --strip-control). meta.preparation says which, so a stripped file is never read as reference.",
  options: { out: { type: "string", valueName: "FILE.jsonl", description: "output file (its folder must exist)" }, ...STRIP_CONTROL_OPTION },
  positionals: { min: 1, max: 1, names: "RUN|SET" },
  examples: ["ppol export conversations sim-20261201-0930-ab12cd34 --out episodes.jsonl", "ppol export conversations usi-airline --out humans.jsonl"],
  run(ctx) {
    const spec = ctx.positionals[0]!;
    const out = str(ctx.values, "out");
    if (!out) throw new UsageError("export conversations: --out is required", "e.g. --out episodes.jsonl");
    const store = ctx.store();
    const wanted = preparationOf(ctx);
    const source = resolveConversationSource(store, spec, (f) => readConversations(resolvePath(ctx.cwd, f), undefined, { preparation: wanted }), {
      exists: (p) => existsSync(resolvePath(ctx.cwd, p)),
      preparation: wanted,
      runEpisodes: (runId) => runConversations(store, runId, wanted),
    });
    const preparation = wanted === "strip-control" ? wanted : source.preparation;
    const conversations = prepareAll(source.conversations, preparation).map((c) => ({ ...c, meta: { ...c.meta, preparation } }));
    const n = exportConversations(conversations, resolvePath(ctx.cwd, out));
    ctx.io.out(`wrote ${n} conversations from ${source.label} to ${out}`);
  },
});
