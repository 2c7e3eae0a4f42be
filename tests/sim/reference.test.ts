/**
 * `ppol simulate` runs τ²'s own user simulator and tools, as the PPol reference drives τ²: upstream's
 * guidelines verbatim, upstream's tool schemas, temperature 0, unparseable episodes re-run and recorded.
 * Against the fake OpenAI server; the τ² data from ../shared, or a small data folder built per test.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRun, listEpisodes, openStore } from "../../src/store/index.ts";
import { agentTools, loadDomainDir } from "../../src/tau2/index.ts";
import { runCli } from "../support/cli.ts";
import { startFakeOpenAI, text, toolCall, type FakeOpenAI, type Reply } from "../support/fake-openai/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { FIXTURE_DIR } from "../tau2/helpers.ts";

/** A tool call whose arguments are the given raw text (what a model may send). */
const brokenCall = (name: string, args: string): Reply => ({ toolCalls: [{ name, arguments: args }] });

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
beforeEach(() => fake.reset());
afterAll(() => fake.stop());

const UPSTREAM_GUIDELINES_SHA = "740a29dfa64d7bc08eea3bf7493575b914a63f744acbaf7f199ee07eddaf72d3";

async function simulate(args: string[], opts: { cwd?: string; data?: string | null } = {}) {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), "ppol-ref-"));
  const data = opts.data === undefined ? ["--tau2-data", sharedPath("tau2/domains")] : opts.data === null ? [] : ["--tau2-data", opts.data];
  const r = await runCli(["simulate", "--json", "--concurrency", "1", "--no-judge", ...data, "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", join(cwd, "a.sqlite"), ...args], { cwd });
  const doc = r.out ? JSON.parse(r.out) : undefined;
  const store = openStore(join(cwd, "a.sqlite"));
  const episodes = doc ? listEpisodes(store, doc.run_id) : [];
  const plan = doc ? JSON.parse(getRun(store, doc.run_id)!.config_json).plan : undefined;
  store.close();
  return { ...r, doc, episodes, plan, cwd };
}

describe("simulate with τ²'s user simulator and tools (../shared data)", () => {
  sharedTest("upstream's guidelines verbatim, upstream's tool schemas, user and agent at temperature 0; recorded in run and episode", async () => {
    fake.conversation({ role: "user" }, [text("i need to change my trip"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [text("Sure, what is your user id?")]);
    const { code, doc, episodes, plan } = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(code).toBe(0);
    const guidelines = readFileSync(sharedPath("tau2/user_simulator/simulation_guidelines.md"), "utf8");
    const systems = fake.requests.filter((r) => r.role === "user").map((r) => r.system);
    expect(systems).toHaveLength(2);
    // The file as it is, its final newline kept, then τ²'s blank line and the scenario.
    expect(systems[0]!.startsWith(`${guidelines}\n\n<scenario>\nInstructions:\n\tDomain: airline\n`)).toBe(true);
    const upstream = JSON.parse(readFileSync(sharedPath("tau2/tool_schemas.json"), "utf8")).airline;
    const agent = fake.requests.filter((r) => r.role === "agent");
    expect(agent[0]!.body.tools).toEqual(Object.values(upstream));
    expect(fake.requests.filter((r) => r.role === "user" || r.role === "agent").map((r) => r.body.temperature)).toEqual([0, 0, 0]);
    expect(doc.user_guidelines).toEqual({ name: "tau2:user_simulator/simulation_guidelines.md", sha256: UPSTREAM_GUIDELINES_SHA });
    expect(doc.tool_schemas.source).toBe(sharedPath("tau2/tool_schemas.json"));
    expect(plan.user_guidelines.sha256).toBe(UPSTREAM_GUIDELINES_SHA);
    expect(plan.tool_schemas_sha256).toBe(new Bun.CryptoHasher("sha256").update(readFileSync(sharedPath("tau2/tool_schemas.json"))).digest("hex"));
    expect(episodes[0]!.user_guidelines_sha256).toBe(UPSTREAM_GUIDELINES_SHA);
    expect(episodes[0]!.retries).toEqual([]);
  });

  sharedTest("--tool-schemas ppol: ppol's own schemas (upstream's structure, ppol's descriptions)", async () => {
    fake.reply({ role: "user" }, text("###STOP###"));
    const { doc } = await simulate(["--domain", "retail", "--tasks", "0", "--tool-schemas", "ppol"]);
    expect(doc.tool_schemas).toEqual({ source: "ppol", sha256: null });
    fake.reset();
    fake.conversation({ role: "user" }, [text("hi"), text("###STOP###")]);
    await simulate(["--domain", "retail", "--tasks", "0", "--tool-schemas", "ppol"]);
    const tools = fake.requests.find((r) => r.role === "agent")!.body.tools;
    const own = agentTools(loadDomainDir(sharedPath("tau2/domains"), "retail"), "ppol").schemas;
    expect(tools).toEqual(JSON.parse(JSON.stringify(own)));
    expect(tools.find((t: any) => t.function.name === "cancel_pending_order").function.parameters.properties.reason.enum).toBeUndefined();
  });

  sharedTest("unparseable agent output: re-run and recorded; never parseable: agent_error, left out of the rewards", async () => {
    fake.conversation({ role: "user" }, [text("cancel my trip"), text("cancel my trip"), text("###STOP###")]);
    fake.conversation({ role: "agent" }, [brokenCall("get_user_details", "{{{{"), text("Can I have your user id?")]);
    const once = await simulate(["--domain", "airline", "--tasks", "11"]);
    expect(once.episodes[0]!.termination).toBe("user_stop");
    expect(once.episodes[0]!.retries.map((r) => [r.attempt, r.party, r.agent_temperature])).toEqual([[0, "agent", 0]]);
    expect(once.episodes[0]!.llm_calls).toBe(5);
    fake.reset();
    fake.reply({ role: "user" }, text("cancel my trip"));
    fake.reply({ role: "agent" }, text(""));
    const never = await simulate(["--domain", "airline", "--tasks", "11,7"]);
    expect(never.code).toBe(0);
    expect(never.episodes.map((e) => [e.termination, e.retries.length])).toEqual([
      ["agent_error", 5],
      ["agent_error", 5],
    ]);
    expect(never.episodes[0]!.error).toContain("agent output unparseable after 5 attempts");
    expect(never.doc.summary.excluded.unparseable).toBe(2);
    expect(never.doc.summary.pass_hat_k).toEqual({});
  });
});

describe("guidelines and tool schemas from a data folder and the archive", () => {
  /** A data folder in upstream's data/tau2 layout around the fixture domains. */
  function dataFolder(guidelines: string | null, schemas: "own" | "broken" | null = null) {
    const root = mkdtempSync(join(tmpdir(), "ppol-data-"));
    for (const d of ["retail", "airline"]) cpSync(join(FIXTURE_DIR, d), join(root, "domains", d), { recursive: true });
    if (guidelines !== null) {
      mkdirSync(join(root, "user_simulator"));
      writeFileSync(join(root, "user_simulator", "simulation_guidelines.md"), guidelines);
    }
    if (schemas === "own") {
      const own = (name: "retail" | "airline") => Object.fromEntries(agentTools(loadDomainDir(FIXTURE_DIR, name), "ppol").schemas.map((t) => [t.function.name, { ...t, function: { ...t.function, description: `UPSTREAM ${t.function.name}` } }]));
      writeFileSync(join(root, "tool_schemas.json"), JSON.stringify({ retail: own("retail"), airline: own("airline") }));
    }
    if (schemas === "broken") writeFileSync(join(root, "tool_schemas.json"), '{"retail": {"calculate": {"type": "function"}}}');
    return join(root, "domains");
  }

  test("tau2 import stores them with their sha256; runs from the archive use them; info shows them; a re-import without them drops them", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-ref-"));
    const db = ["--db", join(cwd, "a.sqlite")];
    const data = dataFolder("CUSTOM GUIDELINES <PERSONA_GUIDELINES>end\n", "own");
    const imp = await runCli(["tau2", "import", data, "--json", ...db], { cwd });
    expect(imp.code).toBe(0);
    const sha = (t: string) => new Bun.CryptoHasher("sha256").update(t).digest("hex");
    expect(JSON.parse(imp.out).imported[0].user_guidelines_sha256).toBe(sha("CUSTOM GUIDELINES <PERSONA_GUIDELINES>end\n"));
    const info = JSON.parse((await runCli(["tau2", "info", "--json", ...db], { cwd })).out).domains[0];
    expect(info.user_guidelines).toMatchObject({ name: "tau2:user_simulator/simulation_guidelines.md", sha256: sha("CUSTOM GUIDELINES <PERSONA_GUIDELINES>end\n") });
    expect(info.tool_schemas.source).toEndWith("tool_schemas.json");
    expect(info.tool_schemas.tools).toBe(16);

    fake.conversation({ role: "user" }, [text("hi"), text("###STOP###")]);
    const run = await simulate(["--domain", "retail", "--tasks", "2"], { cwd, data: null });
    expect(run.code).toBe(0);
    expect(fake.requests.find((r) => r.role === "user")!.system.startsWith("CUSTOM GUIDELINES end\n\n\n<scenario>\n")).toBe(true);
    expect(fake.requests.find((r) => r.role === "agent")!.body.tools[0].function.description).toStartWith("UPSTREAM ");

    // The data changes: the run cannot be resumed with other guidelines.
    expect((await runCli(["tau2", "import", dataFolder("OTHER GUIDELINES\n", "own"), ...db], { cwd })).code).toBe(0);
    const resumed = await runCli(["simulate", "--resume", run.doc.run_id, "--endpoint", fake.baseUrl, "--model", "qwen3:8b", ...db], { cwd });
    expect(resumed.code).toBe(2);
    expect(resumed.err).toContain("no longer has");
    expect(resumed.err.trim().split("\n")).toHaveLength(1);

    expect((await runCli(["tau2", "import", dataFolder(null), ...db], { cwd })).code).toBe(0);
    const plain = JSON.parse((await runCli(["tau2", "info", "--json", ...db], { cwd })).out).domains[0];
    expect(plain.user_guidelines).toMatchObject({ name: "ppol:paraphrase-1", source: "ppol" });
    expect(plain.tool_schemas).toEqual({ source: "ppol", sha256: null, tools: 16 });
  });

  test("bad input: a broken tool_schemas.json or empty guidelines fail the import (exit 2, one line), storing nothing", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-ref-"));
    const db = ["--db", join(cwd, "a.sqlite")];
    const broken = await runCli(["tau2", "import", dataFolder(null, "broken"), ...db], { cwd });
    expect(broken.code).toBe(2);
    expect(broken.err).toContain("tool_schemas.json");
    expect(broken.err.trim().split("\n")).toHaveLength(1);
    const empty = await runCli(["tau2", "import", dataFolder(" \n"), ...db], { cwd });
    expect(empty.code).toBe(2);
    expect(empty.err).toContain("empty user-simulator guidelines");
    const info = await runCli(["tau2", "info", "--json", ...db], { cwd });
    expect(JSON.parse(info.out).domains).toEqual([]);
    const missing = await simulate(["--domain", "retail", "--tasks", "2", "--tool-schemas", "nope.json"], { cwd, data: FIXTURE_DIR });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--tool-schemas");
  });
});
