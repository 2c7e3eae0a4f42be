import { parseArgs } from "node:util";
import { loadConfig, type ResolvedConfig } from "../config/index.ts";
import { closest, describeError, exitCodeOf, UsageError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { bootPython, cacheRoot, type PythonRuntime, type RuntimeAssets } from "../python/index.ts";
import { openStore, type Store } from "../store/index.ts";
import { str, type Command, type CommandContext, type Io, type OptionSpec } from "./command.ts";
import { GLOBAL_OPTIONS } from "./global-options.ts";
import { commandHelp, toolHelp } from "./help.ts";
import { COMMANDS } from "./registry.ts";
import { versionLine } from "./version.ts";

export interface AppEnv {
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  io: Io;
  pythonAssets: RuntimeAssets;
  /** Aborted when the user interrupts; defaults to a signal that never fires. */
  signal?: AbortSignal;
  /** Called when the command reads ctx.signal, i.e. it can stop cleanly on an interrupt. */
  onInterruptWatched?: () => void;
}

/** Parse argv, dispatch to the command, and map every failure to one stderr line and an exit code. */
export async function runApp({ argv, env, cwd, io, pythonAssets, signal = new AbortController().signal, onInterruptWatched }: AppEnv): Promise<number> {
  const cleanups: (() => void | Promise<void>)[] = [];
  let verbose = argv.includes("--verbose") || argv.includes("-v");
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      const target = argv[0] === "help" && argv[1] ? findCommand(argv.slice(1)) : undefined;
      io.out(target ? commandHelp(target.command) : toolHelp(COMMANDS));
      return 0;
    }
    if (argv[0] === "--version" || argv[0] === "-V") {
      io.out(versionLine());
      return 0;
    }
    const invocation = parseInvocation(argv);
    if ("help" in invocation) {
      io.out(commandHelp(invocation.help));
      return 0;
    }
    const { values, positionals } = invocation;
    verbose = values.verbose === true;
    const color = io.color && values["no-color"] !== true && !env.NO_COLOR;
    let resolved: ResolvedConfig | undefined;
    let store: Store | undefined;
    let python: Promise<PythonRuntime> | undefined;
    const ctx: CommandContext = {
      values,
      positionals,
      io: { ...io, color },
      env,
      cwd,
      verbose,
      config: () =>
        (resolved ??= loadConfig({
          cwd,
          env,
          flags: {
            config: str(values, "config"),
            db: str(values, "db"),
            endpoint: str(values, "endpoint"),
            model: str(values, "model"),
            llmCache: str(values, "llm-cache"),
            seed: str(values, "seed"),
            tau2Data: str(values, "tau2-data"),
          },
        })),
      store: () => {
        if (!store) {
          const db = ctx.config().config.defaults.db;
          store = openStore(db === ":memory:" ? db : resolvePath(cwd, db));
          cleanups.push(() => store?.close());
        }
        return store;
      },
      pythonAssets,
      get signal() {
        onInterruptWatched?.();
        return signal;
      },
      cacheRoot: cacheRoot(env),
      python: () => (python ??= bootPython({ assets: pythonAssets, cacheRoot: cacheRoot(env) })),
      onExit: (fn) => void cleanups.push(fn),
    };
    return (await invocation.command.run(ctx)) ?? 0;
  } catch (error) {
    io.err(`ppol: ${describeError(error)}`);
    if (verbose && error instanceof Error && error.stack) io.err(error.stack);
    return exitCodeOf(error);
  } finally {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // cleanup must not mask the command's own result
      }
    }
  }
}

/**
 * The command and its parsed options. Global options may come before the command, as with git
 * (`ppol --db a.sqlite score …` ≡ `ppol score … --db a.sqlite`); `--help` anywhere wins.
 */
export function parseInvocation(argv: string[]): { command: Command; values: CommandContext["values"]; positionals: string[] } | { help: Command } {
  const { leading, words } = splitLeadingGlobals(argv);
  if (words.length === 0) throw new UsageError(`${leading.join(" ")}: which command?`, "run `ppol --help` for the list");
  const found = findCommand(words);
  if (!found) {
    const word = words[0]!;
    const hint = closest(word, [...new Set(COMMANDS.map((c) => c.name.split(" ")[0]!))]);
    throw new UsageError(`unknown command "${word}"${hint ? ` (did you mean "${hint}"?)` : ""}`, "run `ppol --help` for the list");
  }
  const { command } = found;
  const rest = [...leading, ...found.rest];
  // --help wins over everything else on the line, including missing arguments.
  if (rest.includes("--help") || rest.includes("-h")) return { help: command };
  return { command, ...parseCommandArgs(command, { ...GLOBAL_OPTIONS, ...command.options }, rest) };
}

/**
 * Split `argv` into the global options written before the command and the rest (command words first).
 * Only options every command accepts may lead; their values are taken as given (`--db a` or `--db=a`).
 */
function splitLeadingGlobals(argv: string[]): { leading: string[]; words: string[] } {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith("-") && argv[i] !== "-") {
    const arg = argv[i]!;
    const name = arg.replace(/^-+/, "").split("=")[0]!;
    const spec = GLOBAL_OPTIONS[name] ?? Object.values(GLOBAL_OPTIONS).find((o) => arg === `-${o.short}`);
    if (!spec || name === "help") {
      const hint = closest(name, Object.keys(GLOBAL_OPTIONS));
      throw new UsageError(`unknown option ${arg} before the command${hint ? ` (did you mean --${hint}?)` : ""}`, "global options are --db, --config, --endpoint, --model, --llm-cache, --seed, --tau2-data, --verbose, --no-color; put command options after the command");
    }
    i += spec.type === "string" && !arg.includes("=") ? 2 : 1;
    if (i > argv.length) throw new UsageError(`${arg} needs a value`, `e.g. ppol ${arg} ${spec.valueName ?? "VALUE"} doctor`);
  }
  return { leading: argv.slice(0, i), words: argv.slice(i) };
}

/** Longest command name matching the leading words (so "tau2 import" wins over "tau2"). */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  const words = [argv[0], argv[1]].filter((w): w is string => w !== undefined && !w.startsWith("-"));
  for (let n = words.length; n >= 1; n--) {
    const name = words.slice(0, n).join(" ");
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(n) };
  }
  const group = COMMANDS.filter((c) => c.name.startsWith(`${words[0]} `));
  if (group.length && words[0]) {
    const sub = words[1];
    const names = group.map((c) => c.name.split(" ")[1]!);
    const hint = sub ? closest(sub, names) : undefined;
    throw new UsageError(
      sub ? `unknown command "${words[0]} ${sub}"${hint ? ` (did you mean "${words[0]} ${hint}"?)` : ""}` : `"${words[0]}" needs a subcommand: ${names.join(", ")}`,
      `run \`ppol ${words[0]} ${hint ?? names[0]} --help\``,
    );
  }
  return undefined;
}

function parseCommandArgs(command: Command, options: Record<string, OptionSpec>, args: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: options as any, allowPositionals: true, strict: true });
  } catch (error: any) {
    const message = String(error?.message ?? error);
    const flag = /option '([^']+)'|'(-[^']+)'/.exec(message);
    const name = (flag?.[1] ?? flag?.[2] ?? "").replace(/^-+/, "").split(/[ =]/)[0] ?? "";
    if (error?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const hint = closest(name, Object.keys(options));
      throw new UsageError(`${command.name}: unknown option --${name}${hint ? ` (did you mean --${hint}?)` : ""}`, `run \`ppol ${command.name} --help\``);
    }
    throw new UsageError(`${command.name}: ${message.split("\n")[0]}`, `run \`ppol ${command.name} --help\``);
  }
  const { positionals } = parsed;
  const spec = command.positionals ?? { min: 0, max: 0, names: "" };
  if (positionals.length < spec.min)
    throw new UsageError(`${command.name}: missing ${spec.names}`, `usage: ${command.usage}`);
  if (positionals.length > spec.max)
    throw new UsageError(`${command.name}: unexpected argument "${positionals[spec.max]}"`, `usage: ${command.usage}`);
  return { values: parsed.values as CommandContext["values"], positionals };
}
