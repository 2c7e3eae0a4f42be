export { openStore, SCHEMA_VERSION, type Store } from "./db.ts";
export * from "./runs.ts";
export { EpisodeRecord, finishedEpisodeIds, insertEpisode, listEpisodes, listEpisodeSummaries } from "./episodes.ts";
export { findPersonaPrograms, listPersonas, PersonaRow, personaRunCounts, runProgramShas, savePersonaProgram, savePersonaTask, type PersonaTaskRecord, type StoredProgram } from "./personas.ts";
export * from "./fitness.ts";
export * from "./llm.ts";
export * from "./tau2.ts";
export * from "./evolve.ts";
