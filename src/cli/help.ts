import type { Command, OptionSpec } from "./command.ts";
import { GLOBAL_OPTIONS } from "./global-options.ts";

export function toolHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `ppol — Persona Policies: evolve persona generators that make LLM user simulators talk like real users.

Usage: ppol <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}

Global options:
${formatOptions(GLOBAL_OPTIONS)}
  -V, --version              version, git commit, Pyodide and SQLite versions

Start with:  ppol doctor        (checks Python, the archive and your model server)
Main job:    ppol evolve --domain D --human NAME   (evolves the persona generator; see README for the steps before it)
Then:        ppol <command> --help for examples.
Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.`;
}

export function commandHelp(command: Command): string {
  const parts = [`ppol ${command.name} — ${command.summary}`, "", `Usage: ${command.usage}`];
  if (command.description) parts.push("", command.description);
  if (command.options && Object.keys(command.options).length) parts.push("", "Options:", formatOptions(command.options));
  parts.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  parts.push("", "Global options (--db, --config, --endpoint, --model, --verbose, …): see `ppol --help`.");
  return parts.join("\n");
}

function formatOptions(options: Record<string, OptionSpec>): string {
  return Object.entries(options)
    .map(([name, o]) => {
      const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`;
      return `  ${flag.padEnd(25)}  ${o.description}`;
    })
    .join("\n");
}
