import type { OptionSpec } from "./command.ts";

/** Options every command accepts. Config-setting ones map onto the config precedence chain. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h", description: "show help for the command" },
  verbose: { type: "boolean", short: "v", description: "print stack traces and debug detail on errors" },
  "no-color": { type: "boolean", description: "plain output even on a terminal (also NO_COLOR=1)" },
  config: { type: "string", valueName: "FILE", description: "config file (default ./ppol.toml if present; PPOL_CONFIG)" },
  db: { type: "string", valueName: "PATH", description: "archive file (default ./ppol.sqlite; PPOL_DB)" },
  endpoint: { type: "string", valueName: "URL", description: "one OpenAI-compatible server for every role (PPOL_ENDPOINT)" },
  model: { type: "string", valueName: "NAME", description: "one model for every role (PPOL_MODEL)" },
  "llm-cache": { type: "string", valueName: "rw|ro|off", description: "LLM record/replay mode (default rw; PPOL_LLM_CACHE)" },
  seed: { type: "string", valueName: "N", description: "random seed (default 42; PPOL_SEED)" },
  "tau2-data": { type: "string", valueName: "DIR", description: "τ² data directory (TAU2_DATA_DIR)" },
};
