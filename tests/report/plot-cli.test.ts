/** `ppol plot RUN`: an evolve run's curves and grids as SVG, from the archive alone; bad input is exit 2. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { llmMutator, startEvolution } from "../../src/evolve/index.ts";
import { createLlm } from "../../src/llm/index.ts";
import { createRun, openStore } from "../../src/store/index.ts";
import { runCli } from "../support/cli.ts";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai/index.ts";
import { mutatorReply, problem, syntheticEvaluator } from "../evolve/_kit.ts";

const dir = mkdtempSync(join(tmpdir(), "ppol-plot-"));
let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.reply({ role: "mutator" }, mutatorReply());
  const store = openStore(join(dir, "a.sqlite"));
  const llm = createLlm({ config: fake.config(), store, runId: "evo", cacheMode: "rw", env: {} });
  await startEvolution({ store, problem, evaluator: syntheticEvaluator(), mutator: llmMutator(llm) }, { runId: "evo", options: { islands: 2, iterations: 8, early_stop: 0 } });
  await llm.close();
  createRun(store, { id: "sim-x", kind: "simulate", config: {}, version: "test", now: new Date() });
  store.close();
});
afterAll(() => fake.stop());

const ppol = (args: string[]) => runCli([...args, "--db", "a.sqlite"], { cwd: dir });

test("an evolve run's evolution curves and MAP-Elites grids are drawn as SVG", async () => {
  const r = await ppol(["plot", "evo", "--out", "plots"]);
  expect(r.code).toBe(0);
  expect(r.out).toBe("wrote 2 plots to plots: evolution.svg, grid.svg");
  for (const f of ["evolution.svg", "grid.svg"]) {
    const svg = readFileSync(join(dir, "plots", f), "utf8");
    expect(svg).toStartWith("<svg");
    expect(svg).toContain("island");
  }
  // One line per island in each curve panel: the islands' names appear in the legend.
  expect(readFileSync(join(dir, "plots", "evolution.svg"), "utf8")).toMatch(/>0<\/text>[\s\S]*>1<\/text>/);
});

test("bad input: another kind of run, an unknown run, a missing parent folder → exit 2, one line", async () => {
  for (const [args, message] of [
    [["plot", "sim-x", "--out", "p2"], "is a simulate run"],
    [["plot", "nope", "--out", "p3"], 'no run "nope"'],
    [["plot", "evo", "--out", "no/such/dir"], "parent folder"],
  ] as const) {
    const r = await ppol([...args]);
    expect([r.code, r.err.split("\n").length]).toEqual([2, 1]);
    expect(r.err).toContain(message);
  }
  expect(existsSync(join(dir, "p2"))).toBe(false);
});
