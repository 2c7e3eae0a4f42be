/** The fitness stage runs on any sources and archive that fit its interfaces: no store, no files, no CLI. */
import { describe, expect, test } from "bun:test";
import type { ConversationSources, ResolvedSource } from "../../src/conversations/index.ts";
import { CUE_SETS, type FitnessArchive, fingerprint, fingerprintFile, loadDiscriminatorModel, scoreFromSources, trainFromSources, VALIDATION_WEIGHTS } from "../../src/fitness/index.ts";
import type { Conversation } from "../../src/model/index.ts";

const conv = (id: string, task: string, turns: string[]): Conversation => ({
  id, source: "x", task_id: task, messages: turns.flatMap((t) => [{ role: "assistant" as const, content: "How can I help?" }, { role: "user" as const, content: t }]), meta: {},
});
const humans = Array.from({ length: 12 }, (_, i) => conv(`h${i}`, String(i % 3), ["need refund", i % 2 ? "ugh" : "order W1", "ok"]));
const sims = Array.from({ length: 12 }, (_, i) => conv(`s${i}`, String(i % 3), ["Hello! I would like to request a refund for my recent order, please.", "Thank you so much. I don't know the order number, sorry."]));

/** In-memory sources: "people" is a human set (train: the first 8), "bots" a file read with the preparation asked for. */
function memorySources(calls: string[]): ConversationSources {
  const set = (split?: "train" | "test"): ResolvedSource => ({
    label: "people", conversations: split === "train" ? humans.slice(0, 8) : split === "test" ? humans.slice(8) : humans, normalization: "none", preparation: "reference",
    set: { name: "people", kind: "human", format: "jsonl", domain: "retail", source_files: "[]", content_hash: "h", normalization: "none", preparation: "reference", split_rule: "hash", space: "z", n: 12, created_at: "" },
  });
  return {
    set: (name, opts = {}) => (calls.push(`set ${name} ${opts.split ?? "all"}`), set(opts.split)),
    file: (path, opts) => (calls.push(`file ${path} ${opts.preparation}`), { label: path, conversations: sims, normalization: "none", preparation: opts.preparation }),
    resolve(spec, opts) {
      calls.push(`resolve ${spec} ${opts.preparation}`);
      return spec === "people" ? set(opts.split) : { label: spec, conversations: sims, normalization: "none", preparation: opts.preparation };
    },
  };
}

function memoryArchive() {
  const models = new Map<string, string>();
  const scores: Parameters<FitnessArchive["saveScore"]>[0][] = [];
  const archive: FitnessArchive = {
    saveDiscriminator: (json) => (models.set(`m${models.size}`, json), `m${models.size - 1}`),
    loadDiscriminator: (id) => models.get(id) ?? (() => { throw new Error(`no ${id}`); })(),
    saveScore: (row) => scores.push(row),
  };
  return { archive, models, scores };
}

describe("fitness stage", () => {
  test("train then score through injected sources and archive: what is read, saved and returned", () => {
    const calls: string[] = [];
    const { archive, models, scores } = memoryArchive();
    const deps = { sources: memorySources(calls), archive };
    const trained = trainFromSources(deps, { human: "people", humanSplit: "train", simulator: "bots.jsonl", cues: CUE_SETS.ref, normalize: false, forest: { nTrees: 10, seed: 1 }, models: { user: "u" }, now: new Date(0) });
    // The human set gives the preparation the simulator side is read with.
    expect(calls).toEqual(["set people train", "resolve bots.jsonl reference"]);
    expect(trained).toMatchObject({ id: "m0", human: { label: "people", n: 8 }, simulator: { label: "bots.jsonl", n: 12 }, normalization: "none", preparation: "reference", weak: false });
    expect(JSON.parse(models.get("m0")!)).toEqual(JSON.parse(JSON.stringify(trained.model)));
    expect(trained.model.provenance).toMatchObject({ domain: "retail", models: { user: "u" }, cue_version: CUE_SETS.ref.version });

    calls.length = 0;
    const result = scoreFromSources(deps, { episodes: "bots.jsonl", human: "people", humanSplit: "all", discriminator: "m0", clusters: 0, weights: VALIDATION_WEIGHTS, cues: CUE_SETS.ref, seed: 0, now: new Date(0) });
    expect(calls).toEqual(["resolve bots.jsonl reference", "set people all", "set people train"]);
    expect(result.episodes).toHaveLength(12);
    expect(result.hl).toBeLessThan(0.5);
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ discriminatorId: "m0", humanSet: "people", episodes: "bots.jsonl", preparation: "reference", hl: result.hl, cov: result.cov, score: result.score });
    expect(JSON.parse(scores[0]!.result)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(loadDiscriminatorModel(archive, "m0").cv).toEqual(trained.model.cv);
  });

  test("a stored model that is not a discriminator is refused when loaded, before anything is scored", () => {
    const { archive, scores } = memoryArchive();
    archive.saveDiscriminator('{"forest": 1}', { humanSet: "people", simulator: "x", cvAuc: 0.5, now: new Date(0) });
    expect(() => scoreFromSources({ sources: memorySources([]), archive }, { episodes: "bots.jsonl", human: "people", humanSplit: "all", discriminator: "m0", clusters: 0, weights: VALIDATION_WEIGHTS, cues: CUE_SETS.ref, seed: 0, now: new Date(0) })).toThrow();
    expect(scores).toHaveLength(0);
  });

  test("fingerprintFile reads through the resolver with the preparation asked for, and normalises on request", () => {
    const calls: string[] = [];
    const rows = fingerprintFile(memorySources(calls), "bots.jsonl", { preparation: "strip-control", cues: CUE_SETS.ref, normalize: true });
    expect(calls).toEqual(["file bots.jsonl strip-control"]);
    expect(rows.map((r) => r.id)).toEqual(sims.map((s) => s.id));
    // lower-punct by hand: lower case, punctuation deleted
    const byHand = fingerprint(["hello i would like to request a refund for my recent order please", "thank you so much i dont know the order number sorry"], CUE_SETS.ref);
    expect(rows[0]!.features).toEqual(byHand);
    expect(fingerprintFile(memorySources([]), "bots.jsonl", { preparation: "reference", cues: CUE_SETS.ref, normalize: false })[0]!.features).not.toEqual(byHand);
  });
});
