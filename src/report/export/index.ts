/** Exports for other tools: τ² task files with personas, SFT data, personas, programs (conversations: the conversations stage). */
export { datasetCard, type SftCardInput, type SftRunCount } from "./card.ts";
export { personasCsv, personasJsonl } from "./personas.ts";
export { type OpenAiMessage, type OpenAiRecord, type ShareGptRecord, type ShareGptTurn, type SftContext, type SkipReason, toOpenAiChat, toShareGpt } from "./sft.ts";
export { type DomainTexts, exportPersonas, exportProgram, exportSft, exportTau2Tasks, PERSONA_FORMATS, type PersonaFormat, SFT_FILES } from "./stages.ts";
export { personaTasks, type PersonaTasks } from "./tau2-tasks.ts";
