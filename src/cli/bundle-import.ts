import { resolvePath } from "../files.ts";
import { importBundle, openBundle } from "../store/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";

export default defineCommand({
  name: "bundle import",
  summary: "merge a bundled run (and the runs it read) into the archive, to browse it like a local run",
  usage: "ppol bundle import FILE.ppol [--db PATH] [--json]",
  description:
    "Copies the bundle's runs, their outputs, LLM calls and inputs into the archive named by --db. Requests,\n" +
    "request texts, generator programs and τ² files are content-addressed and kept once. A run id already in\n" +
    "the archive with the same plan and outputs is left alone (importing twice changes nothing); with other\n" +
    "content it is refused (exit 2) before anything is written. `ppol runs` and `ppol serve` then show it.",
  options: { ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "FILE.ppol" },
  examples: ["ppol bundle import run.ppol --db lab.sqlite", "ppol bundle import run.ppol --json"],
  run(ctx) {
    const file = ctx.positionals[0]!;
    const bundle = openBundle(resolvePath(ctx.cwd, file), file);
    ctx.onExit(() => bundle.close());
    const store = ctx.store();
    const result = importBundle(store, bundle);
    if (ctx.values.json) return void ctx.io.out(JSON.stringify({ archive: store.path, run: bundle.manifest.run, ...result }, null, 2));
    if (result.imported.length) ctx.io.out(`imported into ${store.path}: ${result.imported.join(", ")}`);
    if (result.present.length) ctx.io.out(`already in ${store.path} with the same content: ${result.present.join(", ")}`);
    ctx.io.out(`see it with: ppol run show ${bundle.manifest.run}${store.path.endsWith("ppol.sqlite") ? "" : ` --db ${store.path}`}`);
  },
});
