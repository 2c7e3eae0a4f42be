import { z } from "zod";
import type { Llm } from "../llm/index.ts";
import type { NlJudge } from "../tau2/index.ts";

const Verdicts = z.object({
  results: z.array(z.object({ assertion: z.int().nonnegative(), met: z.boolean(), reason: z.string().optional() })),
});

const SYSTEM = `You grade a customer-service conversation against a list of assertions about what the agent did.
For each assertion decide, from the conversation alone, whether it is met. Be strict: an assertion that the
conversation does not clearly support is not met.
Answer with one JSON object: {"results": [{"assertion": <index>, "met": true|false, "reason": "<one sentence>"}]}
with exactly one entry per assertion, in order.`;

/** τ²'s NL-assertion judge on the `judge` role: one call per episode, all assertions at once. */
export function llmJudge(llm: Llm, opts: { seed?: number } = {}): NlJudge {
  return async ({ assertions, conversation }) => {
    const list = assertions.map((a, i) => `${i}. ${a}`).join("\n");
    const { value } = await llm.chatJson(
      "judge",
      { messages: [{ role: "system", content: SYSTEM }, { role: "user", content: `<conversation>\n${conversation}\n</conversation>\n\nAssertions:\n${list}` }], temperature: 0, seed: opts.seed },
      Verdicts,
    );
    // A missing verdict counts as not met rather than guessed.
    return assertions.map((_, i) => value.results.find((r) => r.assertion === i)?.met === true);
  };
}
