import { describe, expect } from "bun:test";
import { readFileSync } from "node:fs";
import { agentTools, createEnvironment, evaluateEpisode, goldCalls, loadDomainDir, replay, type Domain, type Py } from "../../src/tau2/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

const dir = () => sharedPath("tau2/domains");
const mapJson = (_k: string, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v);
let cache: Record<string, Domain> = {};
const domain = (name: "retail" | "airline") => (cache[name] ??= loadDomainDir(dir(), name));

describe("τ² real data (../shared/tau2)", () => {
  sharedTest("initial DB hashes equal upstream's (Python json.dumps of model_dump, sort_keys)", () => {
    expect(createEnvironment(domain("airline")).state.upstreamHash()).toBe("124e39a664b56402bcd09cb8a6a9cece6acb8462337c969799d5658e3250f263");
    expect(createEnvironment(domain("retail")).state.upstreamHash()).toBe("b25c9cb211f5efcaee5dd646054a73c4a9f43f4f5acc32c10713cd9f9ac20e9c");
  }, 60_000);

  sharedTest("gold replay: airline 142 calls 0 errors; retail 550 calls, exactly the 18 intended errors", () => {
    const count = (name: "retail" | "airline") => {
      const d = domain(name);
      const errors: string[] = [];
      let calls = 0;
      for (const t of d.tasks) {
        for (const c of replay(d, goldCalls(d, t.id)).calls) {
          calls++;
          if (c.error) errors.push(`${t.id} ${c.name} ${c.content}`);
        }
      }
      return { calls, errors };
    };
    expect(count("airline")).toEqual({ calls: 142, errors: [] });
    const retail = count("retail");
    expect(retail.calls).toBe(550);
    expect(retail.errors).toHaveLength(18);
    expect(retail.errors.filter((e) => e.includes("not found"))).toHaveLength(16);
    expect(retail.errors).toContain("64 exchange_delivered_order_items Error: Non-delivered order cannot be exchanged");
    expect(retail.errors).toContain("105 exchange_delivered_order_items Error: Insufficient gift card balance to pay for the price difference");
  }, 60_000);

  sharedTest("evaluator: every gold action list scores DB 1; dropping or altering a gold write scores 0 unless the end state is unchanged", async () => {
    for (const name of ["retail", "airline"] as const) {
      const d = domain(name);
      let dropped = 0;
      for (const task of d.tasks) {
        const calls = goldCalls(d, task.id);
        const asMessages = (cs: typeof calls) => [{ role: "assistant" as const, content: null, toolCalls: cs.map((c) => ({ name: c.name, arguments: c.arguments })) }];
        const gold = await evaluateEpisode({ domain: d, task, messages: asMessages(calls), termination: "user_stop" });
        expect(gold.components.DB!.reward).toBe(1);
        const full = replay(d, calls);
        for (let i = 0; i < calls.length; i++) {
          if (!d.toolkit.isMutating(calls[i]!.name) || full.calls[i]!.error) continue;
          const rest = calls.filter((_, j) => j !== i);
          // Task 22 changes an address and later restores it: dropping the first change leaves the same end state.
          const same = JSON.stringify(replay(d, rest).diff, mapJson) === JSON.stringify(full.diff, mapJson);
          const r = await evaluateEpisode({ domain: d, task, messages: asMessages(rest), termination: "user_stop" });
          expect(`${task.id}:${i}:${r.components.DB!.reward}`).toBe(`${task.id}:${i}:${same ? 1 : 0}`);
          if (!same) dropped++;
          // Altered: the last argument changed (a string → "x", a number + 1, a list loses its last item).
          const args = new Map(calls[i]!.arguments as Map<string, Py>);
          const [key, value] = [...args].at(-1)!;
          args.set(key, typeof value === "string" ? "x" : typeof value === "number" ? value + 1 : Array.isArray(value) ? value.slice(0, -1) : null);
          const altered = calls.map((c, j) => (j === i ? { name: c.name, arguments: args } : c));
          const sameAltered = JSON.stringify(replay(d, altered).diff, mapJson) === JSON.stringify(full.diff, mapJson);
          const ra = await evaluateEpisode({ domain: d, task, messages: asMessages(altered), termination: "user_stop" });
          expect(`${task.id}:${i}:altered:${ra.components.DB!.reward}`).toBe(`${task.id}:${i}:altered:${sameAltered ? 1 : 0}`);
        }
      }
      expect(dropped).toBeGreaterThan(name === "retail" ? 100 : 25);
    }
  }, 60_000);

  sharedTest("upstream's tool_schemas.json is accepted for both domains", () => {
    const text = readFileSync(sharedPath("tau2/tool_schemas.json"), "utf8");
    expect(agentTools(domain("retail"), { text, path: "tool_schemas.json" }).schemas).toHaveLength(16);
    expect(agentTools(domain("airline"), { text, path: "tool_schemas.json" }).schemas).toHaveLength(14);
  });

  sharedTest("ppol's own schemas have exactly upstream's structure: all 30 equal once descriptions are removed, key order included", () => {
    const upstream = JSON.parse(readFileSync(sharedPath("tau2/tool_schemas.json"), "utf8"));
    const withoutDescriptions = (x: unknown): unknown =>
      Array.isArray(x) ? x.map(withoutDescriptions) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== "description").map(([k, v]) => [k, withoutDescriptions(v)])) : x;
    let compared = 0;
    for (const name of ["retail", "airline"] as const) {
      const own = agentTools(domain(name), "ppol").schemas;
      expect(own.map((t) => t.function.name).sort()).toEqual(Object.keys(upstream[name]).sort());
      for (const tool of own) {
        // JSON text, not deep equality: the agent reads the schemas in this key order.
        expect(`${tool.function.name} ${JSON.stringify(withoutDescriptions(tool))}`).toBe(`${tool.function.name} ${JSON.stringify(withoutDescriptions(upstream[name][tool.function.name]))}`);
        expect(tool.function.description.length).toBeGreaterThan(10);
        compared++;
      }
    }
    expect(compared).toBe(30);
  });

  sharedTest("the shared data folder brings upstream's guidelines and tool schemas with it", () => {
    const d = domain("retail");
    expect(d.userGuidelines?.sha256).toBe("740a29dfa64d7bc08eea3bf7493575b914a63f744acbaf7f199ee07eddaf72d3");
    expect(d.userGuidelines?.source).toBe(sharedPath("tau2/user_simulator/simulation_guidelines.md"));
    const tools = agentTools(d);
    expect(tools.source).toBe(sharedPath("tau2/tool_schemas.json"));
    expect(tools.schemas.find((t) => t.function.name === "cancel_pending_order")!.function.description).toStartWith("Cancel a pending order.");
  });
});
