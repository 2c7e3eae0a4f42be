/**
 * The LLM mutator: one call to role "mutator" (temperature 1.0 and 8,192 tokens by default); edits that
 * do not apply are sent back once with the error and the nearest lines; optionally a full rewrite of
 * the EVOLVE blocks after that. Request `sample` numbers derive from the proposal's stream, so
 * replay is order-independent at any parallelism.
 */
import type { ChatMessage, Llm } from "../llm/index.ts";
import { type Applied, applyEdits, type EditBlock, parseEditBlocks, spliceRewrite } from "./diff.ts";
import { mutatorMessages, REWRITE_MESSAGE, retryMessage } from "./prompt.ts";
import type { MutationRequest, Mutator, Proposal } from "./types.ts";

/** Calls one proposal may make: the edit, its retry, the full rewrite. */
const CALLS_PER_PROPOSAL = 3;

/** `targets`: the mutator role's model names, in config order (for the bandit; one entry = no choice). */
export function llmMutator(llm: Llm, targets: readonly string[] = ["mutator"]): Mutator {
  return {
    targets,
    async propose(req: MutationRequest): Promise<Proposal> {
      const messages: ChatMessage[] = mutatorMessages(req);
      const requestHashes: string[] = [];
      let tokens = 0;
      let model: string | null = null;
      const ask = async (k: number) => {
        const r = await llm.chat("mutator", {
          messages,
          temperature: req.options.mutator_temperature,
          maxTokens: req.options.mutator_max_tokens,
          seed: req.seed,
          sample: req.stream * CALLS_PER_PROPOSAL + k,
          ...(req.target !== undefined && targets.length > 1 ? { target: req.target } : {}),
        });
        requestHashes.push(r.requestHash);
        tokens += r.usage.promptTokens + r.usage.completionTokens;
        model = r.model;
        messages.push({ role: "assistant", content: r.content });
        return r.content;
      };
      let reply = await ask(0);
      let blocks = parseEditBlocks(reply);
      let applied: Applied = applyEdits(req.parent.code, blocks);
      if (!applied.ok) {
        messages.push({ role: "user", content: retryMessage(applied.error, req.options.feedback_chars) });
        reply = await ask(1);
        blocks = parseEditBlocks(reply);
        applied = applyEdits(req.parent.code, blocks);
      }
      let diff = blocks.length ? formatBlocks(blocks) : reply;
      if (!applied.ok && req.options.full_rewrite_fallback) {
        messages.push({ role: "user", content: REWRITE_MESSAGE });
        reply = await ask(2);
        applied = spliceRewrite(req.parent.code, reply);
        diff = reply;
      }
      return applied.ok ? { code: applied.code, diff, model, requestHashes, tokens } : { diff, error: applied.error, model, requestHashes, tokens };
    },
  };
}

export function formatBlocks(blocks: readonly EditBlock[]): string {
  return blocks.map((b) => `<<<<<<< SEARCH\n${b.search}\n=======\n${b.replace}\n>>>>>>> REPLACE`).join("\n");
}
