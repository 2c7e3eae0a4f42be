import { readFileSync } from "node:fs";
import { InputError, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { goldCalls, parsePyJson as loads, replayLine, replayRecordingBugs, type Py, type ToolCall } from "../tau2/index.ts";
import { defineCommand, str, type CommandContext } from "./command.ts";
import { domainFromContext } from "./tau2-args.ts";

export default defineCommand({
  name: "tau2 replay",
  summary: "replay recorded τ² tool calls on a fresh environment: exact tool messages and DB diff",
  usage: "ppol tau2 replay --domain retail|airline [--tau2-data DIR] (--gold | --calls FILE.jsonl)",
  description:
    'Input lines: {"id": "...", "calls": [{"name": "...", "arguments": {...}}]}. Each line runs on its own fresh environment. ' +
    'Output: one JSON line per input (per task with --gold): {"id", "calls": [{"name", "arguments", "error", "content"}], "diff": {"<table>": {"<key>": record | null}}}, ' +
    "where diff lists every record that differs from the initial DB (null = deleted). Use - as FILE for stdin.",
  options: {
    domain: { type: "string", valueName: "NAME", description: "retail or airline" },
    gold: { type: "boolean", description: "replay every task's gold actions (id = task id)" },
    calls: { type: "string", valueName: "FILE", description: "JSONL of call lists to replay (- = stdin)" },
  },
  examples: ["ppol tau2 replay --domain airline --gold", "ppol tau2 replay --domain retail --calls perturbed.jsonl > out.jsonl"],
  run(ctx) {
    const name = str(ctx.values, "domain");
    if (!name) throw new UsageError("--domain is required", "pass --domain retail or --domain airline");
    const file = str(ctx.values, "calls");
    if (!!ctx.values.gold === !!file) throw new UsageError("pass exactly one of --gold and --calls FILE", "e.g. ppol tau2 replay --domain retail --gold");
    const domain = domainFromContext(ctx, name);
    const inputs = ctx.values.gold ? domain.tasks.map((t) => ({ id: t.id as Py, calls: goldCalls(domain, t.id) })) : readCallLines(ctx, file!);
    let bugs = 0;
    for (const { id, calls } of inputs) {
      // One line per input even if ppol itself fails on a call: the other lines stay comparable.
      const result = replayRecordingBugs(domain, calls);
      for (const e of result.internalErrors) ctx.io.err(`ppol: internal error replaying ${JSON.stringify(String(id))}: ${e}`);
      bugs += result.internalErrors.length;
      ctx.io.out(replayLine(id, result));
    }
    return bugs ? 1 : 0;
  },
});

/** Parse the JSONL input; a bad line fails with file:line, the JSON path and the fix. */
function* readCallLines(ctx: CommandContext, file: string): Generator<{ id: Py; calls: ToolCall[] }> {
  let text: string;
  try {
    text = file === "-" ? readFileSync(0, "utf8") : readFileSync(resolvePath(ctx.cwd, file), "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as Error).message})`, "pass an existing JSONL file, or - for stdin");
  }
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    const where = `${file}:${i + 1}`;
    let rec: Py;
    try {
      rec = loads(line);
    } catch (e) {
      throw new InputError(`${where}: not valid JSON (${(e as Error).message})`, "one JSON object per line");
    }
    if (!(rec instanceof Map)) throw new InputError(`${where}: $: expected an object`, 'each line is {"id": ..., "calls": [...]}');
    if (!rec.has("id")) throw new InputError(`${where}: $.id: missing`, 'give each line an "id"');
    const calls = rec.get("calls");
    if (!Array.isArray(calls)) throw new InputError(`${where}: $.calls: expected a list of calls`, '"calls": [{"name": "...", "arguments": {...}}]');
    yield {
      id: rec.get("id")!,
      calls: calls.map((c, j) => {
        if (!(c instanceof Map) || typeof c.get("name") !== "string")
          throw new InputError(`${where}: $.calls[${j}].name: expected a string`, 'each call is {"name": "...", "arguments": {...}}');
        if (!c.has("arguments")) throw new InputError(`${where}: $.calls[${j}].arguments: missing`, 'use "arguments": {} for a call without arguments');
        return { name: c.get("name") as string, arguments: c.get("arguments")! };
      }),
    };
  }
}
