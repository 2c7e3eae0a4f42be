/**
 * The folder graph of src/, checked in CI (`npx depcruise src --config .dependency-cruiser.cjs`).
 *
 *   cli ──► stages (report, server ► evolve, sim, personas, fitness, conversations, tau2)
 *       ──► store / llm / python ──► base (config/, model/, errors.ts, rng.ts, hash.ts, files.ts, pool.ts)
 *
 * Dependencies point down. The archive knows no stage; the metrics (fitness) and the τ² world (tau2)
 * do no I/O through the archive or a model; the evolution engine knows nothing of τ² or personas (its
 * PPol evaluator lives in evolve/ppol/); nothing imports the CLI. Folders talk through their index.ts.
 * Type-only imports count too: a type is a dependency.
 */
const STAGES = "tau2|conversations|personas|sim|fitness|evolve|report|server";
const BASE = "^src/(config/|model/|types/|errors\\.ts$|rng\\.ts$|hash\\.ts$|files\\.ts$|pool\\.ts$)";

module.exports = {
  forbidden: [
    {
      name: "nothing-imports-cli",
      comment: "The CLI is the top: a stage that needs something of a command gets it moved into the stage.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "store-knows-no-stage",
      comment: "The archive stores plain rows and JSON; stages parse what they read (models live in src/model/).",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: `^src/(cli|llm|python|${STAGES})/` },
    },
    {
      name: "fitness-and-tau2-do-no-io",
      comment: "Metrics and the τ² environments are pure: callers pass stored data in and save results.",
      severity: "error",
      from: { path: "^src/(fitness|tau2)/" },
      to: { path: "^src/(llm|store|python|sim|personas|evolve|report|server)/" },
    },
    {
      name: "base-imports-nothing-above",
      comment: "config, model and the root helpers are the floor every folder stands on.",
      severity: "error",
      from: { path: BASE },
      to: { path: `^src/(store|llm|python|cli|${STAGES})/` },
    },
    {
      name: "infrastructure-below-stages",
      comment: "llm and python serve every stage and know none of them.",
      severity: "error",
      from: { path: "^src/(llm|python)/" },
      to: { path: `^src/(cli|${STAGES})/` },
    },
    {
      name: "evolve-engine-is-generic",
      comment: "The engine evolves a program against an Evaluator; only its PPol evaluator (evolve/ppol/) knows τ², personas and fitness.",
      severity: "error",
      from: { path: "^src/evolve/", pathNot: "^src/evolve/ppol/" },
      to: { path: "^src/(sim|tau2|fitness|personas|conversations)/" },
    },
    {
      name: "readers-on-top",
      comment: "Reports and the server read what the stages produced; no stage calls them.",
      severity: "error",
      from: { path: "^src/(tau2|conversations|personas|sim|fitness|evolve)/" },
      to: { path: "^src/(report|server)/" },
    },
    {
      name: "report-below-server",
      severity: "error",
      from: { path: "^src/report/" },
      to: { path: "^src/server/" },
    },
    {
      name: "through-index-only",
      comment: "A folder's public surface is its index.ts; other folders import only that.",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      // The binary's entry points reach the embedded runtime, the sandbox worker and the web assets by path.
      to: { path: "^src/[^/]+/", pathNot: ["^src/$1/", "^src/[^/]+/index\\.ts$", "^src/(python/(worker|embedded)|server/assets)\\.ts$"] },
    },
    {
      name: "no-circular",
      comment: "Cycles make the graph meaningless.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["es6", "cjs"],
  },
};
