/**
 * The one host capability a sandboxed program gets: an `llm` module whose calls travel to the host
 * over the sandbox channel and are answered by the host's LLM client (generator role). Child side:
 * a JS module `_ppol_host` plus the Python module `llm` built on it. Host side: validate and forward.
 */
import { LlmRequest, type GeneratorLlm } from "./protocol.ts";

/** Python source of the `llm` module (installed in sys.modules before any program runs). */
export const LLM_MODULE_PY = `
import json as _json, sys as _sys, types as _types

def _ppol_make_llm():
    import _ppol_host
    mod = _types.ModuleType("llm", "Host LLM access (generator role). chat() and chat_json() are async.")

    class LLMError(Exception):
        pass

    def _strip_fences(text):
        t = text.strip()
        if t.startswith("\`\`\`"):
            t = t.split("\\n", 1)[1] if "\\n" in t else ""
            if t.rstrip().endswith("\`\`\`"):
                t = t.rstrip()[:-3]
        return t.strip()

    async def chat(messages, *, temperature=None, max_tokens=None, json=False):
        """Send chat messages (a list of {role, content}, or one user string); returns the reply text.
        json=True asks for a JSON object; json=<JSON Schema dict> asks for output matching that schema."""
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        req = {"messages": [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]}
        if temperature is not None:
            req["temperature"] = float(temperature)
        if max_tokens is not None:
            req["max_tokens"] = int(max_tokens)
        if json:
            req["json"] = json if isinstance(json, dict) else True
        try:
            reply = await _ppol_host.chat(_json.dumps(req))
        except Exception as e:
            raise LLMError(str(e).removeprefix("Error: ")) from None
        return str(reply)

    async def chat_json(messages, *, schema=None, **kwargs):
        """Like chat(), asking for JSON (matching the JSON Schema \`schema\` when given) and decoding it
        (code fences stripped); ValueError if it is not JSON."""
        text = await chat(messages, json=schema if isinstance(schema, dict) else True, **kwargs)
        return _json.loads(_strip_fences(text))

    mod.chat, mod.chat_json, mod.LLMError = chat, chat_json, LLMError
    return mod

_sys.modules["llm"] = _ppol_make_llm()
del _ppol_make_llm
`;

/** Child side: pending LLM calls keyed by id; `send` writes a message to the host. */
export function childLlmBridge(send: (message: { type: "llm"; id: number; requestJson: string }) => void) {
  let next = 1;
  const pending = new Map<number, { resolve: (s: string) => void; reject: (e: Error) => void }>();
  return {
    host: {
      chat(requestJson: string): Promise<string> {
        const id = next++;
        return new Promise<string>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          send({ type: "llm", id, requestJson: String(requestJson) });
        });
      },
    },
    settle(reply: { id: number; ok: boolean; content?: string; error?: string }) {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.content ?? "");
      else p.reject(new Error(reply.error ?? "LLM call failed"));
    },
  };
}

export interface LlmBudget {
  /** Calls one program may make in total. */
  maxCalls: number;
  /** Calls one program may have in flight at once. */
  maxInFlight: number;
}

/** Host side: one program's LLM gate. Validates each request and enforces the budget. */
export function hostLlmGate(llm: GeneratorLlm | undefined, budget: LlmBudget) {
  let calls = 0;
  let inFlight = 0;
  return {
    get calls() {
      return calls;
    },
    async answer(requestJson: string): Promise<{ ok: true; content: string } | { ok: false; error: string }> {
      if (!llm) return { ok: false, error: "no LLM is configured for this run" };
      if (calls >= budget.maxCalls) return { ok: false, error: `LLM call budget exhausted (${budget.maxCalls} calls per program)` };
      if (inFlight >= budget.maxInFlight) return { ok: false, error: `too many LLM calls in flight (max ${budget.maxInFlight})` };
      let request: LlmRequest;
      try {
        request = LlmRequest.parse(JSON.parse(requestJson));
      } catch (error) {
        return { ok: false, error: `invalid LLM request: ${String((error as Error).message).split("\n")[0]}` };
      }
      calls++;
      inFlight++;
      try {
        const { content } = await llm.chat(request);
        return { ok: true, content: String(content) };
      } catch (error) {
        return { ok: false, error: String((error as Error)?.message ?? error).split("\n")[0]! };
      } finally {
        inFlight--;
      }
    },
  };
}
