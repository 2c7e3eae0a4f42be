import init001 from "./001_init.sql" with { type: "text" };
import tau2002 from "./002_tau2.sql" with { type: "text" };
import llm003 from "./003_llm.sql" with { type: "text" };
import fitness004 from "./004_fitness.sql" with { type: "text" };
import personas005 from "./005_personas.sql" with { type: "text" };
import episodes006 from "./006_episodes.sql" with { type: "text" };
import study011 from "./011_study.sql" with { type: "text" };

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
  // 7–10 are reserved for work in progress on other branches; the runner applies every unrecorded version.
  { version: 11, name: "study", sql: study011 },
];
