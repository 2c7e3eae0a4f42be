export * from "./schema.ts";
export { loadConfig, formatIssue, ENV_VARS, type ConfigFlags, type ResolvedConfig, type Source } from "./load.ts";
export { renderDefaultToml } from "./template.ts";
