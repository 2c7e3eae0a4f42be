/** The sandbox's `llm` capability answered by ppol's LLM layer under the generator role. */
import type { Llm } from "../llm/index.ts";
import type { GeneratorLlm } from "../python/index.ts";

export function generatorLlm(llm: Llm, options: { seed?: number } = {}): GeneratorLlm {
  return {
    async chat(request) {
      const result = await llm.chat("generator", {
        messages: request.messages,
        temperature: request.temperature,
        maxTokens: request.max_tokens,
        json: request.json,
        seed: options.seed,
      });
      return { content: result.content ?? "" };
    },
  };
}
