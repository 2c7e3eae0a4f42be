import { UsageError } from "../errors.ts";
import { createStudy, linkFor, randomToken } from "../server/index.ts";
import { defineCommand, intFlag, JSON_OPTION, str } from "./command.ts";

export default defineCommand({
  name: "study create",
  summary: "a blinded human-or-simulator study: balanced conversations, one private link per annotator",
  usage: "ppol study create --name S --humans SET --from RUN|SET [--from …] [--n 87] [--annotators 16] [--base-url URL] [--json]",
  description:
    "Draws --n conversations split evenly between the human set and each --from source (a run's episodes or a stored simulator set), " +
    "blinded: only customer and agent text, no tool calls, markup, stop tokens, ids or sources; items numbered in random order. " +
    "Each annotator gets every conversation in an order of their own. Serve the archive with `ppol serve` and send each annotator their link.",
  options: {
    name: { type: "string", valueName: "S", description: "study name (letters, digits, . _ -)" },
    humans: { type: "string", valueName: "SET", description: "stored human conversation set" },
    from: { type: "string", multiple: true, valueName: "RUN|SET", description: "a condition: run id or stored simulator set (repeat for more)" },
    n: { type: "string", valueName: "N", description: "conversations in the study (default 87)" },
    annotators: { type: "string", valueName: "N", description: "annotator links (default 16)" },
    "base-url": { type: "string", valueName: "URL", description: "where ppol serve will be reachable (default http://127.0.0.1:7777)" },
    ...JSON_OPTION,
  },
  examples: ["ppol study create --name pilot --humans usi-airline --from run-base --from run-ppol --n 87 --annotators 16"],
  run(ctx) {
    const [name, humans] = [str(ctx.values, "name"), str(ctx.values, "humans")];
    const from = (ctx.values.from as string[] | undefined) ?? [];
    if (!name || !humans || !from.length) throw new UsageError("study create: --name, --humans and at least one --from are required", "e.g. ppol study create --name pilot --humans people --from RUN");
    const base = str(ctx.values, "base-url") ?? "http://127.0.0.1:7777";
    if (!/^https?:\/\/[^\s/]+/.test(base)) throw new UsageError(`study create: --base-url "${base}" is not an http(s) URL`, "e.g. --base-url http://lab-host:7777");
    const made = createStudy(
      ctx.store(),
      { name, humans, from, n: intFlag(ctx.values, "n", { fallback: 87, min: 2 }), annotators: intFlag(ctx.values, "annotators", { fallback: 16 }), seed: ctx.config().config.defaults.seed },
      { now: new Date(), token: randomToken },
    );
    const links = made.links.map((l) => ({ annotator: l.annotator, url: linkFor(base, l.token) }));
    if (ctx.values.json) return void ctx.io.out(JSON.stringify({ name: made.name, items: made.items, links }));
    ctx.io.out(`study ${made.name}: ${made.items} conversations, ${links.length} annotators (send each their own link; results: ppol study results ${made.name})`);
    for (const l of links) ctx.io.out(`  annotator ${String(l.annotator).padStart(2)}  ${l.url}`);
  },
});
