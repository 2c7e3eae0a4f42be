import { resolvePath } from "../files.ts";
import { verifyBundle } from "../report/index.ts";
import { openBundle } from "../store/index.ts";
import { defineCommand, JSON_OPTION } from "./command.ts";
import { Progress } from "./progress.ts";
import { poolFactory } from "./stage-deps.ts";
import { versionInfo } from "./version.ts";

export default defineCommand({
  name: "bundle verify",
  summary: "replay a bundled run from the file alone and check every output against its manifest",
  usage: "ppol bundle verify FILE.ppol [--json]",
  description:
    "Needs nothing but the file: no model server, no archive, no τ² data folder. First every stored input and\n" +
    "output is checked against the manifest (a changed τ² file or LLM answer, a removed episode are named);\n" +
    "then the run is replayed in a temporary archive from the bundle's inputs with recorded LLM answers only\n" +
    "(the persona phase first, in the sandbox; an evolve run from its seed program), and every episode,\n" +
    "persona task, persona and evolve program is compared with the manifest's digest (wall-clock fields such\n" +
    "as ms and created_at left out). Only a finished evolve run is replayed. Episodes that ended in an\n" +
    "infrastructure error or a failed evaluation, sandbox timeouts, and whatever an interrupted run never\n" +
    "finished are not replayed; they are checked against the manifest only.\n" +
    "Prints `verified` (exit 0) or the first difference: run, episode or persona task, field (exit 1).",
  options: { ...JSON_OPTION },
  positionals: { min: 1, max: 1, names: "FILE.ppol" },
  examples: ["ppol bundle verify run.ppol", "ppol bundle verify run.ppol --json"],
  async run(ctx) {
    const file = ctx.positionals[0]!;
    const bundle = openBundle(resolvePath(ctx.cwd, file), file);
    ctx.onExit(() => bundle.close());
    const json = ctx.values.json === true;
    const result = await verifyBundle(bundle, {
      pool: poolFactory(ctx),
      python: () => ctx.python(),
      sandbox: { assets: ctx.pythonAssets, cacheRoot: ctx.cacheRoot },
      version: versionInfo().ppol,
      signal: ctx.signal,
      progress: (total) => {
        const line = new Progress({ label: "replay", total, write: (t) => ctx.io.err(t.replace(/\n$/, "")), isTTY: ctx.io.isTTY && !json });
        return { tick: () => line.tick(1), finish: () => line.finish() };
      },
    });
    if (json) ctx.io.out(JSON.stringify(result, null, 2));
    else if (result.verified) {
      ctx.io.out(`verified: run ${result.run} (${result.kind}, ${result.status}) — ${result.items} outputs match the manifest, ${result.replayed} units replayed`);
      for (const note of result.notes) ctx.io.err(`ppol: note: the replay stopped as the original did: ${note}`);
    } else ctx.io.out(`NOT verified: ${result.difference!.message}`);
    return result.verified ? 0 : 1;
  },
});
