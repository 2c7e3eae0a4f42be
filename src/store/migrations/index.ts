import init001 from "./001_init.sql" with { type: "text" };
import tau2002 from "./002_tau2.sql" with { type: "text" };
import llm003 from "./003_llm.sql" with { type: "text" };
import fitness004 from "./004_fitness.sql" with { type: "text" };
import personas005 from "./005_personas.sql" with { type: "text" };
import episodes006 from "./006_episodes.sql" with { type: "text" };
import preparation007 from "./007_preparation.sql" with { type: "text" };
import fidelitySim008 from "./008_fidelity_sim.sql" with { type: "text" };
import runEvents009 from "./009_run_events.sql" with { type: "text" };
import evolve010 from "./010_evolve.sql" with { type: "text" };
import study011 from "./011_study.sql" with { type: "text" };
import evolvePpol012 from "./012_evolve_ppol.sql" with { type: "text" };
import episodeEvaluation014 from "./014_episode_evaluation.sql" with { type: "text" };
import llmCacheHits015 from "./015_llm_cache_hits.sql" with { type: "text" };
import runArtifacts016 from "./016_run_artifacts.sql" with { type: "text" };
import runParent017 from "./017_run_parent.sql" with { type: "text" };

/**
 * Forward-only migrations, applied in order at open and recorded in `schema_migrations`.
 * Append new ones at the end with the next number; never edit one that has shipped.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: "init", sql: init001 },
  { version: 2, name: "tau2", sql: tau2002 },
  { version: 3, name: "llm", sql: llm003 },
  { version: 4, name: "fitness", sql: fitness004 },
  { version: 5, name: "personas", sql: personas005 },
  { version: 6, name: "episodes", sql: episodes006 },
  { version: 7, name: "preparation", sql: preparation007 },
  { version: 8, name: "fidelity_sim", sql: fidelitySim008 },
  { version: 9, name: "run_events", sql: runEvents009 },
  { version: 10, name: "evolve", sql: evolve010 },
  { version: 11, name: "study", sql: study011 },
  { version: 12, name: "evolve_ppol", sql: evolvePpol012 },
  // 13 is unused (the fitness stage needed none).
  { version: 14, name: "episode_evaluation", sql: episodeEvaluation014 },
  { version: 15, name: "llm_cache_hits", sql: llmCacheHits015 },
  { version: 16, name: "run_artifacts", sql: runArtifacts016 },
  { version: 17, name: "run_parent", sql: runParent017 },
];
