/**
 * A synthetic problem for the engine tests: the program is four numbers A–D inside an EVOLVE block; the
 * score is 1 − mean squared distance to TARGET; descriptors are (A, B); objectives one per number.
 * The fake server plays the mutator with a reply that is a pure function of the request (its seed and
 * the parent in the prompt), so any parallelism sees the same answers. Scripted seeds make a proposal
 * misbehave: a diff that fails once or always, an unchanged or whitespace-only child, a check failure,
 * an evaluation failure or hang.
 */
import { z } from "zod";
import type { EvaluationInput, Evaluator, Problem, Program } from "../../src/evolve/index.ts";
import type { LoggedRequest, Reply } from "../support/fake-openai/index.ts";

export const TARGET = [0.7, 0.3, 0.9, 0.5];
export const NAMES = ["A", "B", "C", "D"] as const;

export const SEED = `"""Four numbers to tune."""
# EVOLVE-BLOCK-START
A = 0.1
B = 0.2
C = 0.3
D = 0.4
# EVOLVE-BLOCK-END
def total():
    return A + B + C + D
`;

export function numbersOf(code: string): Record<string, number> | string {
  const out: Record<string, number> = {};
  for (const name of NAMES) {
    const m = new RegExp(`^${name} = (\\S+)\\s*$`, "m").exec(code);
    if (!m) return `${name} is missing`;
    const v = Number(m[1]);
    if (!Number.isFinite(v)) return `${name} = ${m[1]} is not a number`;
    out[name] = v;
  }
  return out;
}

export const scoreOf = (x: Record<string, number>) => 1 - NAMES.reduce((s, n, i) => s + (x[n]! - TARGET[i]!) ** 2, 0) / NAMES.length;

export const problem: Problem = {
  seed: SEED,
  systemPrompt: "You tune four numbers.",
  mutationAngles: ["move A", "move B", "move C or D"],
  async check(code) {
    const x = numbersOf(code);
    return typeof x === "string" ? { ok: false, error: x } : { ok: true };
  },
};

/** The evaluator: FAIL in the code fails it, HANG waits for the abort; `delayMs` simulates work. */
export function syntheticEvaluator(opts: { delayMs?: (p: Program) => number; calls?: string[]; validations?: string[]; constant?: boolean } = {}): Evaluator {
  return {
    async evaluate(p, ctx): Promise<EvaluationInput> {
      opts.calls?.push(p.id);
      if (p.code.includes("HANG")) {
        await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
      }
      const delay = opts.delayMs?.(p) ?? 0;
      if (delay) await Bun.sleep(delay);
      if (p.code.includes("FAIL")) return { status: "failed", error: "Traceback: FAIL found", artifacts: { stderr: "boom" } };
      const x = numbersOf(p.code) as Record<string, number>;
      const score = opts.constant ? 0.5 : scoreOf(x);
      return {
        status: "evaluated",
        metrics: { score, a: x.A! },
        descriptors: [x.A!, x.B!],
        objectives: NAMES.map((n, i) => 1 - Math.abs(x[n]! - TARGET[i]!)),
        artifacts: { reflection: `A is ${x.A}; try moving the farthest number` },
      };
    },
    async validate(p) {
      opts.validations?.push(p.id);
      const x = numbersOf(p.code) as Record<string, number>;
      // Validation prefers C near its target a little more than train does.
      return { status: "evaluated", metrics: { score: scoreOf(x) - Math.abs(x.C! - TARGET[2]!) / 10 } };
    },
  };
}

export type Behaviour = "bad_once" | "bad_always" | "unchanged" | "whitespace" | "check_fail" | "fail" | "hang";

/** The parent program shown in a mutator prompt. */
export function parentOf(req: LoggedRequest): string {
  const first = String(req.body.messages[1].content);
  return /## Current program[\s\S]*?```python\n([\s\S]*?)\n```/.exec(first)![1]!;
}

const edit = (search: string, replace: string) => `Here is my change.\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`;

/** The mutator as a pure function of the request: a random edit from its seed unless `script` says otherwise. */
export function mutatorReply(script: ReadonlyMap<number, Behaviour> = new Map()) {
  return (req: LoggedRequest): Reply => {
    const seed = Number(req.body.seed);
    const parent = parentOf(req);
    const retry = req.last.startsWith("Your edit could not be applied");
    const rewrite = req.last.startsWith("Your edits still could not be applied");
    const behaviour = script.get(seed);
    const x = numbersOf(parent) as Record<string, number>;
    const name = NAMES[seed % NAMES.length]!;
    const line = `${name} = ${x[name]}`;
    if (rewrite) return { content: "```python\n" + parent.replace(line, `${name} = 0.55`) + "\n```" };
    if ((behaviour === "bad_once" && !retry) || behaviour === "bad_always") return { content: edit(`${name} = 12345`, `${name} = 0.5`) };
    if (behaviour === "unchanged") return { content: edit(line, line) };
    if (behaviour === "whitespace") return { content: edit(line, `${line}   `) };
    if (behaviour === "check_fail") return { content: edit(line, `${name} = oops`) };
    if (behaviour === "fail") return { content: edit(line, `${line}\nFAIL = 1`) };
    if (behaviour === "hang") return { content: edit(line, `${line}\nHANG = 1`) };
    const step = (((seed >>> 4) % 2001) - 1000) / 4000;
    const value = Math.round(Math.min(1, Math.max(0, x[name]! + step)) * 1000) / 1000;
    return { content: edit(line, `${name} = ${value}`), usage: { prompt: 100, completion: 20 + (seed % 7) } };
  };
}

const Row = z.object({ id: z.string(), code: z.string(), status: z.string(), reason: z.string().nullable(), metrics_json: z.string().nullable(), validation_json: z.string().nullable() });

/** The archive of a run without run id and timestamps: what must be identical between equivalent runs. */
export function archiveOf(db: import("bun:sqlite").Database, runId: string) {
  const programs = db
    .query(
      `SELECT id, kind, generation, slot, attempt, island, parent_id, source_id, code, code_sha, diff, angle, mutator_model, mutator_target, request_hashes_json, tokens,
              status, reason, error, metrics_json, descriptors_json, objectives_json, artifacts_json, validation_json
         FROM evolve_programs WHERE run_id = ? ORDER BY generation, kind, slot, attempt`,
    )
    .all(runId);
  const generations = db.query("SELECT generation, evaluations, since_best, best_id FROM evolve_generations WHERE run_id = ? ORDER BY generation").all(runId);
  const run = db.query("SELECT stop_reason, final_id FROM evolve_runs WHERE run_id = ?").get(runId);
  return { programs, generations, run };
}

export const rowsOf = (db: import("bun:sqlite").Database, runId: string) => db.query("SELECT id, code, status, reason, metrics_json, validation_json FROM evolve_programs WHERE run_id = ?").all(runId).map((r) => Row.parse(r));
