/**
 * `bun run bench -- evolve [utilisation|database|search]` (default: all three):
 * - utilisation: an evolve run against the fake server (in this process, fixed latency 40 ms, endpoint
 *   concurrency 8) whose synthetic evaluator itself calls the LLM (25 "episodes" of 3 sequential calls,
 *   like PPol's personas × episodes), so the endpoint is what saturates; mean calls in flight ÷ allowed
 *   concurrency, sampled every 2 ms, at parallel 1 and 4 (goal ≥ 0.9).
 * - database: the engine's own cost per iteration (selection, novelty, rows written, commit, migration)
 *   with an instant evaluator and mutator, measured over iterations 1,001–1,200 of a file archive (goal ≤ 5 ms).
 * - search: no LLM; a smooth function of the eight numbers in the EVOLVE block and a random-edit
 *   mutator; evaluations until the score reaches 90% of the optimum, ppol's selection vs parents drawn
 *   uniformly from the island's population (everything else equal), median over 20 seeds (goal ≤ 1/3 of
 *   the uniform one's; a run that does not get there counts as the cap, and the line says how many did not).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Evaluator, type EvolveOptionsInput, llmMutator, type Mutator, type Problem, startEvolution } from "../src/evolve/index.ts";
import { createLlm } from "../src/llm/index.ts";
import { createRng } from "../src/rng.ts";
import { openStore } from "../src/store/index.ts";
import { startFakeOpenAI } from "../tests/support/fake-openai/index.ts";
import { mutatorReply, problem as fourNumbers, syntheticEvaluator } from "../tests/evolve/_kit.ts";
import { median, report } from "./_util.ts";

const which = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), "ppol-bench-evolve-"));

async function utilisation() {
  const C = 8;
  const fake = await startFakeOpenAI({ latencyMs: 40, log: false });
  fake.reply({ role: "mutator" }, mutatorReply());
  fake.reply({ role: "user" }, "fine");
  const config = fake.config({ max_concurrency: C });
  for (const parallel of [1, 4]) {
    const store = openStore(join(dir, `util-${parallel}.sqlite`));
    const llm = createLlm({ config, store, runId: `u${parallel}`, cacheMode: "off", env: {} });
    const inner = syntheticEvaluator();
    // The evaluator's work is LLM calls: 25 episodes × 3 turns, all episodes started at once (the layer queues them).
    const evaluator: Evaluator = {
      async evaluate(p, ctx) {
        await Promise.all(
          Array.from({ length: 25 }, async (_, e) => {
            for (let turn = 0; turn < 3; turn++) await llm.chat("user", { messages: [{ role: "user", content: `${p.id} episode ${e} turn ${turn}` }], seed: ctx.seed });
          }),
        );
        return inner.evaluate(p, ctx);
      },
    };
    const samples: number[] = [];
    const timer = setInterval(() => samples.push(fake.inFlight), 2);
    await startEvolution({ store, problem: fourNumbers, evaluator, mutator: llmMutator(llm) }, { runId: `u${parallel}`, options: { iterations: 10, parallel, early_stop: 0 } });
    clearInterval(timer);
    await llm.close();
    store.close();
    report(`endpoint utilisation, parallel ${parallel}`, samples.reduce((s, x) => s + x, 0) / samples.length / C, "", { min: 0.9 });
  }
  await fake.stop();
}

/** Edits one number of the EVOLVE block by a random step (seeded by the request): the LLM-free mutator. */
function randomEdit(step: number): Mutator {
  return {
    targets: ["random"],
    async propose(req) {
      const rng = createRng(req.seed);
      const lines = req.parent.code.split("\n");
      const numbered = lines.flatMap((l, i) => (/^X\d+ = /.test(l) ? [i] : []));
      const i = numbered[rng.int(numbered.length)]!;
      const [name, value] = lines[i]!.split(" = ") as [string, string];
      const gauss = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
      lines[i] = `${name} = ${Math.round(Math.min(1, Math.max(0, Number(value) + step * gauss)) * 1000) / 1000}`;
      return { code: lines.join("\n"), diff: lines[i]!, model: null, requestHashes: [], tokens: 0 };
    },
  };
}

const DIMS = 8;
const TARGETS = Array.from({ length: DIMS }, (_, i) => 0.25 + (0.5 * i) / (DIMS - 1));
const numbersProblem: Problem = {
  seed: `# EVOLVE-BLOCK-START\n${Array.from({ length: DIMS }, (_, i) => `X${i} = 0`).join("\n")}\n# EVOLVE-BLOCK-END\n`,
  systemPrompt: "",
  mutationAngles: ["any"],
  check: async () => ({ ok: true }),
};
const valuesOf = (code: string) => [...code.matchAll(/^X\d+ = (\S+)$/gm)].map((m) => Number(m[1]));
/** Smooth, optimum 1 at TARGETS: mean of Gaussian bumps of width 0.2 per number. */
const smooth = (x: number[]) => x.reduce((s, v, i) => s + Math.exp(-(((v - TARGETS[i]!) / 0.2) ** 2)), 0) / x.length;
const numbersEvaluator: Evaluator = {
  async evaluate(p) {
    const x = valuesOf(p.code);
    const score = smooth(x);
    return { status: "evaluated", metrics: { score }, descriptors: [x[0]!, x[1]!], objectives: [score] };
  },
};

async function database() {
  const store = openStore(join(dir, "db.sqlite"));
  const stamps = new Map<number, number>();
  await startEvolution(
    { store, problem: numbersProblem, evaluator: numbersEvaluator, mutator: randomEdit(0.1), onEvent: (e) => void (e.kind === "generation" && stamps.set(e.iterations, performance.now())) },
    { runId: "db", options: { iterations: 1200, early_stop: 0 } },
  );
  const rows = (store.db.query("SELECT count(*) AS n FROM evolve_programs").get() as { n: number }).n;
  report(`database cost per iteration (${rows} programs stored)`, (stamps.get(1200)! - stamps.get(1000)!) / 200, "ms", { max: 5 });
  store.close();
}

async function evaluationsToReach(options: EvolveOptionsInput, seed: number, cap: number): Promise<number> {
  const store = openStore(":memory:");
  const stop = new AbortController();
  let evaluations = 0;
  let reached: number | undefined;
  await startEvolution(
    {
      store, problem: numbersProblem, evaluator: numbersEvaluator, mutator: randomEdit(0.1), signal: stop.signal,
      onEvent: (e) => {
        if (e.kind !== "program" || e.program.status !== "evaluated" || e.program.kind === "migrant") return;
        evaluations++;
        if (reached === undefined && e.program.metrics!.score >= 0.9) (reached = evaluations), stop.abort();
      },
    },
    { runId: "s", options: { ...options, seed, iterations: cap, early_stop: 0 } },
  );
  store.close();
  return reached ?? cap;
}

async function search() {
  const CAP = 6000;
  const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
  const ppol: number[] = [];
  const random: number[] = [];
  for (const seed of seeds) {
    ppol.push(await evaluationsToReach({}, seed, CAP));
    random.push(await evaluationsToReach({ selection: "uniform" }, seed, CAP));
  }
  const [p, r] = [median(ppol), median(random)];
  report("search: evaluations to 90% of optimum, ppol", p, "evals");
  report(`search: same, uniform parent (${random.filter((x) => x === CAP).length}/20 hit the cap ${CAP})`, r, "evals");
  report("search: ppol ÷ random", p / r, "", { max: 1 / 3 });
}

try {
  if (!which || which === "utilisation") await utilisation();
  if (!which || which === "database") await database();
  if (!which || which === "search") await search();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
