import { describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../src/errors.ts";
import { agentTools, createEnvironment, evaluateEpisode, loadDomainDir, passHatK, splitTasks, type TrajectoryMessage } from "../../src/tau2/index.ts";
import { env, FIXTURE_DIR, fixture, rec } from "./helpers.ts";

function brokenCopy(domain: string, file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "ppol-tau2-"));
  cpSync(FIXTURE_DIR, dir, { recursive: true });
  const path = join(dir, domain, file);
  writeFileSync(path, edit(readFileSync(path, "utf8")));
  return dir;
}
const loadError = (dir: string, name: "retail" | "airline") => {
  try {
    loadDomainDir(dir, name);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("expected the load to fail");
};

describe("loader", () => {
  test("splits and hashes", () => {
    const d = fixture("retail");
    expect(splitTasks(d, "test").map((t) => t.id)).toEqual(["2"]);
    expect(splitTasks(d).map((t) => t.id)).toEqual(["0", "1", "2"]);
    expect(d.hashes.data).toMatch(/^[0-9a-f]{64}$/);
    expect(() => splitTasks(d, "dev")).toThrow('no split "dev"');
    expect(d.tasks[2]!.evaluation_criteria!.reward_basis).toEqual(["DB", "COMMUNICATE"]); // upstream default
  });
  test("a malformed record names the file, the JSON path and the problem", () => {
    const dir = brokenCopy("retail", "db.json", (t) => t.replace('"status": "processed"', '"status": "shipped"'));
    const m = loadError(dir, "retail");
    expect(m).toContain(`${dir}/retail/db.json: $.orders["#W3"].status:`);
    const bad = brokenCopy("airline", "db.json", (t) => t.replace('"price": 90', '"price": "90"'));
    expect(loadError(bad, "airline")).toContain('$.reservations.ABC123.flights[0].price');
    expect(loadError(brokenCopy("retail", "tasks.json", (t) => t.slice(0, -5)), "retail")).toContain("tasks.json: not valid JSON");
    expect(loadError(brokenCopy("retail", "split_tasks.json", () => '{"test": ["7"]}'), "retail")).toContain('task id "7" is not in tasks.json');
    expect(loadError(brokenCopy("retail", "tasks.json", (t) => t.replace('"name": "get_order_details"', '"name": "get_orders"')), "retail")).toContain('unknown tool "get_orders"');
    expect(loadError(brokenCopy("retail", "tasks.json", (t) => t.replace('"initial_state": null', '"initial_state": {"initialization_actions": []}')), "retail")).toContain('task "0" initial_state: not supported');
  });
  test("a missing folder or file is an InputError with the fix", () => {
    expect(loadError(join(FIXTURE_DIR, "nope"), "retail")).toContain("no such τ² domain folder");
  });
});

describe("environment", () => {
  test("each environment starts from the initial DB; the base is never written", () => {
    const a = env("retail");
    a.call("cancel_pending_order", { order_id: "#W1", reason: "no longer needed" });
    expect(rec(a, "orders", "#W1").status).toBe("cancelled");
    const b = env("retail");
    expect(rec(b, "orders", "#W1").status).toBe("pending");
    expect(Object.isFrozen(fixture("retail").base.orders!.get("#W1"))).toBe(true);
    expect(() => (fixture("retail").base.products!.get("1000000001")!.variants as Map<string, unknown>).delete("2000000001")).toThrow("frozen base DB");
  });
  test("diff lists changed records only; state hash equal iff same state", () => {
    const a = env("retail");
    const b = env("retail");
    expect(a.hash()).toBe(b.hash());
    a.call("get_order_details", { order_id: "#W1" });
    a.call("modify_pending_order_address", { order_id: "#W1", address1: "1 Main St", address2: "", city: "New York", state: "NY", country: "USA", zip: "10001" });
    expect(a.state.diff()).toEqual({}); // same address written back
    a.call("cancel_pending_order", { order_id: "#W1", reason: "no longer needed" });
    expect(Object.keys(a.state.diff().orders!)).toEqual(["#W1"]);
    expect(a.hash()).not.toBe(b.hash());
    b.call("cancel_pending_order", { order_id: "#W1", reason: "no longer needed" });
    expect(a.hash()).toBe(b.hash());
  });
  test("arguments as raw JSON text keep 1.0 a float", () => {
    const e = createEnvironment(fixture("airline"));
    expect(e.call("send_certificate", '{"user_id": "mia_li_1", "amount": 1.0}').content).toBe("Certificate certificate_3221322 added to user mia_li_1 with amount 1.0.");
  });
});

const text = (content: string): TrajectoryMessage => ({ role: "assistant", content });
const calls = (...c: [string, unknown][]): TrajectoryMessage => ({ role: "assistant", content: null, toolCalls: c.map(([name, args]) => ({ name, arguments: args })) });

describe("evaluator", () => {
  const domain = fixture("retail");
  const task0 = domain.tasks[0]!;
  const cancel = calls(["find_user_id_by_email", { email: "ann@example.com" }], ["cancel_pending_order", { order_id: "#W1", reason: "no longer needed" }]);

  test("gold trajectory: DB × COMMUNICATE = 1 (comma-free substring)", async () => {
    const r = await evaluateEpisode({ domain, task: task0, termination: "user_stop", messages: [cancel, text("Done: $1,50 refunded.")] });
    expect(r.reward).toBe(1);
    expect(r.success).toBe(true);
    expect(r.components.ACTION!.reward).toBe(1);
  });
  test("a dropped or altered write, or a missing fact, gives 0", async () => {
    const dropped = await evaluateEpisode({ domain, task: task0, termination: "user_stop", messages: [calls(["find_user_id_by_email", { email: "ann@example.com" }]), text("150")] });
    expect([dropped.components.DB!.reward, dropped.reward]).toEqual([0, 0]);
    const altered = await evaluateEpisode({ domain, task: task0, termination: "user_stop", messages: [calls(["cancel_pending_order", { order_id: "#W1", reason: "ordered by mistake" }]), text("150")] });
    expect(altered.reward).toBe(0);
    const silent = await evaluateEpisode({ domain, task: task0, termination: "agent_stop", messages: [cancel, { role: "user", content: "150" }] });
    expect([silent.components.DB!.reward, silent.components.COMMUNICATE!.reward]).toEqual([1, 0]);
  });
  test("reads, unknown tools and failed writes do not change the DB component", async () => {
    const noisy = calls(["get_user_details", { user_id: "ann_lee_1" }], ["nope", {}], ["cancel_pending_order", { order_id: "#W3", reason: "x" }]);
    const r = await evaluateEpisode({ domain, task: task0, termination: "user_stop", messages: [noisy, cancel, text("150")] });
    expect(r.reward).toBe(1);
  });
  test("no gold actions (null) → DB 1 whatever the agent did; no criteria at all → reward 1", async () => {
    const bare = { ...task0, evaluation_criteria: { ...task0.evaluation_criteria!, actions: null, communicate_info: [] } };
    expect((await evaluateEpisode({ domain, task: bare, termination: "user_stop", messages: [cancel] })).reward).toBe(1);
    const none = { ...task0, evaluation_criteria: null };
    expect((await evaluateEpisode({ domain, task: none, termination: "user_stop", messages: [cancel] })).reward).toBe(1);
    const empty = { ...task0, evaluation_criteria: { ...task0.evaluation_criteria!, actions: [], communicate_info: [] } };
    expect((await evaluateEpisode({ domain, task: empty, termination: "user_stop", messages: [cancel] })).reward).toBe(0);
  });
  test("only user/agent stops score", async () => {
    for (const termination of ["max_steps", "too_many_errors", "agent_error"] as const) {
      expect((await evaluateEpisode({ domain, task: task0, termination, messages: [cancel, text("150")] })).reward).toBe(0);
    }
  });
  test("NL assertions: not evaluated without a judge, judged otherwise", async () => {
    const task1 = domain.tasks[1]!;
    const exchange = calls(["exchange_delivered_order_items", { order_id: "#W2", item_ids: ["2000000001"], new_item_ids: ["2000000002"], payment_method_id: "credit_card_1" }]);
    const none = await evaluateEpisode({ domain, task: task1, termination: "user_stop", messages: [exchange] });
    expect(none.reward).toBeNull();
    expect(none.components.NL_ASSERTION!.status).toBe("not evaluated");
    let seen = "";
    const yes = await evaluateEpisode({
      domain, task: task1, termination: "user_stop", messages: [exchange, text("The difference is $10.50.")],
      judge: async ({ assertions, conversation }) => ((seen = conversation), assertions.map(() => true)),
    });
    expect(yes.reward).toBe(1);
    expect(seen).toContain("assistant: The difference is $10.50.");
    const no = await evaluateEpisode({ domain, task: task1, termination: "user_stop", messages: [exchange], judge: async () => [false] });
    expect(no.reward).toBe(0);
  });
  test("pass^k = mean over tasks of C(c,k)/C(n,k)", () => {
    const trials = [true, true, false, false].map((success) => ({ taskId: "a", success })).concat([1, 2, 3, 4].map(() => ({ taskId: "b", success: true })));
    const r = passHatK(trials);
    expect(r.map((x) => x.k)).toEqual([1, 2, 3, 4]);
    expect(r[0]!.value).toBeCloseTo(0.75, 12);
    expect(r[1]!.value).toBeCloseTo((1 / 6 + 1) / 2, 12);
    expect(r[3]!.value).toBeCloseTo(0.5, 12);
  });
  test("pass^k with uneven trial counts: k up to the fewest trials, each task over its own count", () => {
    // a: 3 of 4 succeed; b: 1 of 2; c: 2 of 3. Fewest trials = 2, so k = 1, 2.
    const t = (taskId: string, ok: boolean[]) => ok.map((success) => ({ taskId, success }));
    const r = passHatK([...t("a", [true, true, true, false]), ...t("b", [true, false]), ...t("c", [false, true, true])]);
    expect(r.map((x) => x.k)).toEqual([1, 2]);
    // k=1: (3/4 + 1/2 + 2/3)/3; k=2: (C(3,2)/C(4,2) + C(1,2)/C(2,2) + C(2,2)/C(3,2))/3 = (3/6 + 0 + 1/3)/3
    expect(r[0]!.value).toBeCloseTo((3 / 4 + 1 / 2 + 2 / 3) / 3, 12);
    expect(r[1]!.value).toBeCloseTo((3 / 6 + 0 + 1 / 3) / 3, 12);
    expect(r.every((x) => x.value <= 1)).toBe(true);
  });
});

describe("tool schemas", () => {
  test("ours cover every tool; a user file must cover all tools and nothing else", () => {
    for (const name of ["retail", "airline"] as const) {
      const d = fixture(name);
      expect(agentTools(d).schemas.map((t) => t.function.name).sort()).toEqual([...d.toolkit.byName.keys()].sort());
    }
    const d = fixture("airline");
    const own = agentTools(d, "ppol");
    expect(own).toMatchObject({ source: "ppol", sha256: null });
    const text = JSON.stringify({ airline: own.schemas });
    expect(agentTools(d, { text, path: "s.json" })).toMatchObject({ source: "s.json", sha256: new Bun.CryptoHasher("sha256").update(text).digest("hex") });
    expect(agentTools(d, { text, path: "s.json" }).schemas).toHaveLength(14);
    expect(() => agentTools(d, { text: JSON.stringify(own.schemas.slice(1)), path: "s.json" })).toThrow("s.json: $: no schema for book_reservation");
    expect(() => agentTools(d, { text: "[1]", path: "s.json" })).toThrow("s.json: $[0].");
  });
});

describe("replay", () => {
  test("a ppol bug on one call is recorded on that call; the rest of the list still runs", async () => {
    const { replayRecordingBugs } = await import("../../src/tau2/index.ts");
    const { Toolkit } = await import("../../src/tau2/toolkit.ts");
    const base = fixture("retail");
    const buggy = new Toolkit("RetailTools", [
      ...base.toolkit.tools,
      { name: "boom", params: [], mutates: false, run: () => { throw new Error("kaput"); } },
    ]);
    const r = replayRecordingBugs({ ...base, toolkit: buggy }, [
      { name: "boom", arguments: new Map() },
      { name: "get_user_details", arguments: new Map([["user_id", "bob_ray_2"]]) },
    ]);
    expect(r.internalErrors).toEqual(["boom: kaput"]);
    expect(r.calls.map((c) => c.error)).toEqual([true, false]);
  });
});
