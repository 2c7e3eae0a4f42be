/**
 * One slot of a generation: choose a parent from the database as it stood when the generation began,
 * draw proposals until one passes the diff, the problem's check and the novelty test (at most
 * `max_proposals`), then evaluate it (and validate when due). Every proposal is written the moment it
 * exists and every evaluation the moment it ends; on resume, rows already written are reused instead
 * of being proposed or evaluated again. Randomness comes only from (seed, generation, slot).
 */
import { createRng } from "../rng.ts";
import { insertEvolveProgram, recordEvolveEvaluation, recordEvolveValidation, type Store } from "../store/index.ts";
import type { MutatorBandit } from "./bandit.ts";
import type { ProgramDatabase } from "./database.ts";
import { nearDuplicate, tokenSignature } from "./novelty.ts";
import { cap } from "./prompt.ts";
import { codeSha, deriveSeed, evaluationPatch, toRow, withEvaluation } from "./records.ts";
import { parentContext } from "./select.ts";
import { Evaluation, type Evaluator, type EvolveOptions, type Mutator, type Problem, type Program, Validation } from "./types.ts";

export interface SlotDeps {
  store: Store;
  runId: string;
  options: EvolveOptions;
  problem: Problem;
  mutator: Mutator;
  evaluator: Evaluator;
  db: ProgramDatabase;
  bandit: MutatorBandit | undefined;
  /** Rows of this generation already in the archive (resume), by program id. */
  existing: ReadonlyMap<string, Program>;
  slotsPerGeneration: number;
  now: () => Date;
  signal: AbortSignal;
  onProgram: (p: Program) => void;
}

/** Thrown out of a slot when the run is stopping (Ctrl-C): nothing half-done is recorded. */
export class Stopped extends Error {}

/** Every proposal drawn for the slot, in order; the last is its outcome (rejected when all were). */
export async function proposeSlot(d: SlotDeps, generation: number, slot: number): Promise<Program[]> {
  const { options, db } = d;
  const island = slot % options.islands;
  const rng = createRng(deriveSeed(options.seed, "slot", generation, slot));
  const { parent, top, inspirations } = parentContext(db, island, rng, options);
  const target = d.bandit && d.mutator.targets.length > 1 ? d.bandit.choose(rng) : undefined;
  const lastFailure = db.lastFailure(parent.id);
  let previousError = lastFailure ? `The last child of this program failed: ${lastFailure}` : undefined;
  const attempts: Program[] = [];
  for (let attempt = 0; attempt < options.max_proposals; attempt++) {
    const angle = d.problem.mutationAngles[rng.int(d.problem.mutationAngles.length)]!;
    const id = `g${generation}-s${slot}-a${attempt}`;
    let program = d.existing.get(id);
    if (!program) {
      if (d.signal.aborted) throw new Stopped();
      const proposal = await d.mutator.propose({
        problem: d.problem,
        parent,
        top,
        inspirations,
        angle,
        previousError,
        target,
        stream: (generation * d.slotsPerGeneration + slot) * options.max_proposals + attempt,
        seed: deriveSeed(options.seed, "mutate", generation, slot, attempt),
        options,
      });
      const base: Program = {
        id, kind: "child", generation, slot, attempt, island, parentId: parent.id, sourceId: null,
        code: proposal.code ?? parent.code, codeSha: codeSha(proposal.code ?? parent.code), diff: proposal.diff, angle,
        mutatorModel: proposal.model, mutatorTarget: target ?? null, requestHashes: proposal.requestHashes, tokens: proposal.tokens,
        status: "proposed", reason: null, error: null, metrics: null, descriptors: null, objectives: null, artifacts: {}, validation: null,
      };
      program = proposal.code === undefined ? { ...base, status: "rejected", reason: "diff_failed", error: proposal.error ?? "no usable edit" } : await screen(d, base, island);
      insertEvolveProgram(d.store, toRow(d.runId, program, d.now()));
      d.onProgram(program);
    }
    attempts.push(program);
    if (program.status !== "rejected") break;
    previousError = `Your previous proposal was rejected (${program.reason}): ${cap(program.error ?? "", options.feedback_chars)}`;
  }
  return attempts;
}

/** The checks before any evaluation is spent: the problem's static check, then novelty against the island. */
async function screen(d: SlotDeps, child: Program, island: number): Promise<Program> {
  const checked = await d.problem.check(child.code);
  if (!checked.ok) return { ...child, status: "rejected", reason: "check_failed", error: checked.error };
  // Parents come from the population, which the archive contains.
  const members = [...d.db.islands[island]!.archive.values()];
  const same = members.find((p) => p.codeSha === child.codeSha);
  if (same) return { ...child, status: "rejected", reason: "duplicate", error: `identical to program ${same.id}: change the behaviour, not nothing` };
  const near = nearDuplicate(tokenSignature(child.code), members, d.options.novelty_threshold);
  if (near) return { ...child, status: "rejected", reason: "similar", error: `${(near.similarity * 100).toFixed(1)}% token-similar to program ${near.match.id} (threshold ${d.options.novelty_threshold * 100}%): make a substantive change` };
  return child;
}

/** Grace after aborting a timed-out evaluation before the slot records it and moves on. */
const ABORT_GRACE_MS = 10_000;

/** Evaluate a proposed program (and validate it when due); rows are updated as each result arrives. */
export async function evaluateProgram(d: SlotDeps, program: Program): Promise<Program> {
  let p = program;
  if (p.status === "proposed") {
    const outcome = await withTimeout(d, (signal) => d.evaluator.evaluate(p, context(d, p, signal)));
    if (outcome.kind === "timeout") p = withEvaluation(p, { status: "failed", reason: "timeout", error: outcome.message });
    else {
      const parsed = Evaluation.safeParse(outcome.value);
      p = withEvaluation(p, parsed.success ? parsed.data : { status: "failed", reason: "error", error: `the evaluator returned an invalid result: ${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}` });
    }
    recordEvolveEvaluation(d.store, d.runId, p.id, evaluationPatch(p, d.now()));
    d.onProgram(p);
  }
  if (p.status === "evaluated" && !p.validation && d.evaluator.validate && validationDue(p, d.options)) {
    const validate = d.evaluator.validate.bind(d.evaluator);
    const outcome = await withTimeout(d, (signal) => validate(p, context(d, p, signal)));
    const parsed = outcome.kind === "timeout" ? undefined : Validation.safeParse(outcome.value);
    const validation: Validation =
      outcome.kind === "timeout" ? { status: "failed", error: outcome.message, artifacts: {} } : parsed!.success ? parsed!.data : { status: "failed", error: `the evaluator returned an invalid validation: ${parsed!.error.issues[0]!.message}`, artifacts: {} };
    p = { ...p, validation };
    recordEvolveValidation(d.store, d.runId, p.id, JSON.stringify(validation));
    d.onProgram(p);
  }
  return p;
}

/** Validation runs on the seed (the first evaluation) and on every train score above the threshold. */
export const validationDue = (p: Program, options: EvolveOptions) => p.kind === "seed" || (p.metrics?.score ?? -Infinity) > options.validation_threshold;

function context(d: SlotDeps, p: Program, signal: AbortSignal) {
  return { runId: d.runId, programId: p.id, generation: p.generation, island: p.island, seed: deriveSeed(d.options.seed, "evaluate", p.id), signal };
}

/** Run an evaluator call under the timeout; a stop of the run (Ctrl-C) throws Stopped, evaluator errors propagate. */
async function withTimeout<T>(d: SlotDeps, work: (signal: AbortSignal) => Promise<T>): Promise<{ kind: "value"; value: T } | { kind: "timeout"; message: string }> {
  if (d.signal.aborted) throw new Stopped();
  const timeout = new AbortController();
  const signal = AbortSignal.any([timeout.signal, d.signal]);
  const ms = d.options.evaluation_timeout_ms;
  const running = work(signal).then(
    (value) => ({ kind: "value" as const, value }),
    (error: unknown) => ({ kind: "error" as const, error }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<"timeout">((resolve) => {
    if (ms > 0) timer = setTimeout(() => resolve("timeout"), ms);
  });
  const first = await Promise.race([running, expired]);
  clearTimeout(timer);
  if (first === "timeout") {
    timeout.abort(new Error(`evaluation timed out after ${ms} ms`));
    // Give the evaluator time to stop its work (kill its sandbox) before moving on.
    const settled = await Promise.race([running, Bun.sleep(ABORT_GRACE_MS).then(() => undefined)]);
    return { kind: "timeout", message: `evaluation exceeded ${ms} ms and was aborted${settled ? "" : ` (it had not stopped ${ABORT_GRACE_MS / 1000} s later)`}` };
  }
  if (d.signal.aborted) throw new Stopped();
  if (first.kind === "error") throw first.error;
  return first;
}
