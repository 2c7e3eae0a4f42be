/** Archive rows ↔ engine programs: the only place that knows the JSON columns of evolve_programs. */
import { z } from "zod";
import { sha256 } from "../hash.ts";
import type { EvolveEvaluationPatch, EvolveProgramRow } from "../store/index.ts";
import { Metrics, type Evaluation, type Program, type Reason, Validation } from "./types.ts";

const Descriptors = z.tuple([z.number(), z.number()]);
const Numbers = z.array(z.number());
const Strings = z.array(z.string());
const Artifacts = z.record(z.string(), z.string());

const parseJson = <T>(schema: z.ZodType<T>, text: string | null): T | null => (text === null ? null : schema.parse(JSON.parse(text)));

export function toProgram(row: EvolveProgramRow): Program {
  return {
    id: row.id,
    kind: row.kind,
    generation: row.generation,
    slot: row.slot,
    attempt: row.attempt,
    island: row.island,
    parentId: row.parent_id,
    sourceId: row.source_id,
    code: row.code,
    codeSha: row.code_sha,
    diff: row.diff,
    angle: row.angle,
    mutatorModel: row.mutator_model,
    mutatorTarget: row.mutator_target,
    requestHashes: parseJson(Strings, row.request_hashes_json) ?? [],
    tokens: row.tokens,
    status: row.status,
    reason: row.reason as Reason | null,
    error: row.error,
    metrics: parseJson(Metrics, row.metrics_json),
    descriptors: parseJson(Descriptors, row.descriptors_json),
    objectives: parseJson(Numbers, row.objectives_json),
    artifacts: parseJson(Artifacts, row.artifacts_json) ?? {},
    validation: parseJson(Validation, row.validation_json),
  };
}

export function toRow(runId: string, p: Program, createdAt: Date): EvolveProgramRow {
  return {
    run_id: runId,
    id: p.id,
    kind: p.kind,
    generation: p.generation,
    slot: p.slot,
    attempt: p.attempt,
    island: p.island,
    parent_id: p.parentId,
    source_id: p.sourceId,
    code: p.code,
    code_sha: p.codeSha,
    diff: p.diff,
    angle: p.angle,
    mutator_model: p.mutatorModel,
    mutator_target: p.mutatorTarget,
    request_hashes_json: JSON.stringify(p.requestHashes),
    tokens: p.tokens,
    status: p.status,
    reason: p.reason,
    error: p.error,
    ...patchColumns(p),
    artifacts_json: JSON.stringify(p.artifacts),
    validation_json: p.validation ? JSON.stringify(p.validation) : null,
    created_at: createdAt.toISOString(),
    evaluated_at: p.status === "evaluated" || p.status === "failed" ? createdAt.toISOString() : null,
  };
}

function patchColumns(p: Program) {
  return {
    metrics_json: p.metrics ? JSON.stringify(p.metrics) : null,
    descriptors_json: p.descriptors ? JSON.stringify(p.descriptors) : null,
    objectives_json: p.objectives ? JSON.stringify(p.objectives) : null,
  };
}

/** A proposed program with its evaluation applied (descriptors clamped into [0, 1]). */
export function withEvaluation(p: Program, e: Evaluation | { status: "failed"; reason: Reason; error: string; artifacts?: Record<string, string> }): Program {
  if (e.status === "evaluated") {
    const clamp = (v: number) => Math.min(1, Math.max(0, v));
    return { ...p, status: "evaluated", reason: null, error: null, metrics: e.metrics, descriptors: [clamp(e.descriptors[0]), clamp(e.descriptors[1])], objectives: e.objectives, artifacts: e.artifacts };
  }
  return { ...p, status: "failed", reason: "reason" in e ? e.reason : "error", error: e.error, metrics: null, descriptors: null, objectives: null, artifacts: e.artifacts ?? {} };
}

export function evaluationPatch(p: Program, now: Date): EvolveEvaluationPatch {
  return { status: p.status, reason: p.reason, error: p.error, ...patchColumns(p), artifacts_json: JSON.stringify(p.artifacts), evaluated_at: now.toISOString() };
}

export const codeSha = (code: string) => sha256(code);

/** A 32-bit seed from the run seed and a path, e.g. (42, "slot", 3, 1): independent streams per use. */
export function deriveSeed(seed: number, ...path: (string | number)[]): number {
  return Number.parseInt(sha256(`${seed}:${path.join(":")}`).slice(0, 8), 16);
}

/**
 * A program's place in the run's sequence of child slots: 0 for the seed (and its copies), 1, 2, … for
 * the slots of generations 1, 2, … in slot order (migrants: the slot count before their generation).
 * Independent of `parallel` and of how many proposals a slot drew.
 */
export function iterationOf(p: Pick<Program, "kind" | "generation" | "slot">, slotsPerGeneration: number): number {
  if (p.generation === 0) return 0;
  return p.kind === "child" ? (p.generation - 1) * slotsPerGeneration + p.slot + 1 : p.generation * slotsPerGeneration;
}
