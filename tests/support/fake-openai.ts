/** Short import path for the fake OpenAI-compatible server; see fake-openai/index.ts for usage. */
export * from "./fake-openai/index.ts";
