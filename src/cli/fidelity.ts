import { readConversations } from "../conversations/index.ts";
import { InputError } from "../errors.ts";
import { resolvePath } from "../files.ts";
import { createLlm, type Llm } from "../llm/index.ts";
import { checkFidelity, judgeNewGoals, mergeFlags } from "../sim/index.ts";
import { renderScenario, type Domain, type UserScenario } from "../tau2/index.ts";
import { defineCommand } from "./command.ts";
import { domainFromContext } from "./tau2-args.ts";

export default defineCommand({
  name: "fidelity",
  summary: "flag simulated-user turns that contradict their τ² scenario",
  usage: "ppol fidelity FILE.jsonl [--tau2-data DIR] [--judge]",
  description:
    "Reads conversations in the JSONL interchange format (each line names `domain` and `task_id`) and prints\n" +
    'one JSON line per conversation: {"id", "flags": [{"turn", "kind", "evidence"}]}. A flag is an identifier\n' +
    "(order/user/reservation id, e-mail, amount, date, passenger count, …) the user states that is neither in\n" +
    "the scenario nor said earlier by the agent, or a request for a goal the scenario does not contain.\n" +
    "`turn` is the index of the message in the conversation's messages.",
  options: {
    judge: { type: "boolean", description: "also ask the judge role (LLM) for goals the scenario lacks; flags say \"judge:\" in their evidence" },
  },
  positionals: { min: 1, max: 1, names: "FILE.jsonl" },
  examples: ["ppol fidelity episodes.jsonl --tau2-data ../tau2/domains", "ppol fidelity episodes.jsonl --judge --endpoint http://127.0.0.1:11434/v1 --model qwen3:8b", "ppol simulate --domain retail --out run.jsonl && ppol fidelity run.jsonl"],
  async run(ctx) {
    const file = ctx.positionals[0]!;
    let llm: Llm | undefined;
    if (ctx.values.judge) {
      llm = createLlm({ config: ctx.config().config, store: ctx.store(), env: ctx.env });
      ctx.onExit(() => llm?.close());
    }
    const conversations = readConversations(resolvePath(ctx.cwd, file), "jsonl");
    const domains = new Map<string, Domain>();
    for (const [i, c] of conversations.entries()) {
      if (!c.domain || c.task_id === undefined) throw new InputError(`${file}: conversation ${c.id ?? i + 1} lacks "domain" or "task_id"`, "each line must name the τ² domain and task it plays");
      const domain = domains.get(c.domain) ?? domains.set(c.domain, domainFromContext(ctx, c.domain)).get(c.domain)!;
      const task = domain.tasks.find((t) => t.id === String(c.task_id));
      if (!task) throw new InputError(`${file}: conversation ${c.id}: ${c.domain} has no task "${c.task_id}"`);
      const scenario = renderScenario(task.user_scenario as UserScenario);
      let flags = checkFidelity({ scenario, messages: c.messages });
      if (llm) flags = mergeFlags(flags, await judgeNewGoals(llm, { scenario, messages: c.messages }));
      ctx.io.out(JSON.stringify({ id: c.id, flags }));
    }
  },
});
