/** A scripted GeneratorLlm for persona tests: answers population and expansion prompts, counts concurrency. */
import type { GeneratorLlm, LlmRequest } from "../../src/python/index.ts";

export const WORDS_180 = Array.from({ length: 180 }, (_, i) => (i % 12 === 0 ? "you" : `word${i}`)).join(" ");

export function population(n: number, axes = ["terse", "skeptical", "frustrated", "ambiguous"], tweak?: (p: Record<string, unknown>, i: number) => void) {
  const personas = Array.from({ length: n }, (_, i) => {
    const p: Record<string, unknown> = {
      persona_id: `p${i + 1}`,
      description: `Persona ${i + 1} is a busy parent who writes from a phone. Short on patience today.`,
      axis_placement: Object.fromEntries(axes.map((a, j) => [a, ((i >> j) & 1) === 1])),
      reasoning: "plausible mix",
    };
    tweak?.(p, i);
    return p;
  });
  return personas;
}

export interface Scripted extends GeneratorLlm {
  calls: LlmRequest[];
  maxInFlight: number;
}

export function scriptedLlm(answer: (req: LlmRequest) => string, delayMs = 30): Scripted {
  let inFlight = 0;
  const s: Scripted = {
    calls: [],
    maxInFlight: 0,
    async chat(request) {
      s.calls.push(request);
      inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      try {
        await Bun.sleep(delayMs);
        return { content: answer(request) };
      } finally {
        inFlight--;
      }
    },
  };
  return s;
}

export const isPopulation = (req: LlmRequest) => req.messages.some((m) => /Create exactly \d+ distinct personas/.test(m.content));
