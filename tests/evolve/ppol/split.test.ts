/**
 * The reference's task bookkeeping, pure: Python's random.Random(seed).shuffle reproduced exactly (the
 * expected lists were computed with python3 and written in by hand), the validation hold-out of τ²'s
 * real train splits, the sliding batch, the personas curriculum, and the [evolve] section's checks.
 */
import { describe, expect, test } from "bun:test";
import { holdOut, parseEvolveSection, personasPerTask, pythonShuffle, slidingBatch } from "../../../src/evolve/index.ts";
import { loadDomainDir, splitTasks } from "../../../src/tau2/index.ts";
import { sharedPath, sharedTest } from "../../support/shared.ts";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("pythonShuffle = random.Random(seed).shuffle", () => {
  test("seeds 42, 0, a seed above 2^32 and a large one", () => {
    // python3 -c "import random; x=list(range(7)); random.Random(42).shuffle(x); print(x)"
    expect(pythonShuffle(range(7), 42)).toEqual([1, 3, 4, 2, 6, 0, 5]);
    expect(pythonShuffle(range(6), 0)).toEqual([4, 2, 1, 0, 5, 3]);
    expect(pythonShuffle(range(5), 2 ** 32 + 5)).toEqual([2, 0, 4, 3, 1]);
    expect(pythonShuffle(range(10), 123456789)).toEqual([0, 1, 9, 4, 3, 5, 2, 6, 8, 7]);
  });

  test("string ids, 24 and 74 of them (τ² train split sizes)", () => {
    expect(pythonShuffle(range(24).map(String), 42)).toEqual(["15", "5", "18", "23", "13", "10", "17", "11", "14", "16", "1", "12", "21", "6", "9", "2", "22", "4", "19", "7", "8", "0", "3", "20"]);
    expect(pythonShuffle(range(74).map(String), 42).slice(0, 12)).toEqual(["65", "18", "36", "8", "7", "58", "70", "59", "43", "39", "15", "64"]);
  });

  test("does not touch its input; rejects a seed Python would hash", () => {
    const input = ["a", "b", "c"];
    pythonShuffle(input, 42);
    expect(input).toEqual(["a", "b", "c"]);
    expect(() => pythonShuffle(input, -1)).toThrow("non-negative");
  });
});

describe("holdOut", () => {
  test("n_val = min(max(1, int(n·0.2)), n − 1), from the front of the shuffled list", () => {
    expect(holdOut(["0", "1", "3"], { fraction: 0.2, seed: 42 })).toEqual({ validation: ["1"], train: ["0", "3"] });
    expect(holdOut(["a", "b"], { fraction: 0.9, seed: 42 }).train).toHaveLength(1);
    expect(() => holdOut(["a"], { fraction: 0.2, seed: 42 })).toThrow("at least 2");
  });

  sharedTest("τ² airline and retail train splits, as the reference splits them", () => {
    const split = (domain: "airline" | "retail") => holdOut(splitTasks(loadDomainDir(sharedPath("tau2/domains"), domain), "train").map((t) => t.id), { fraction: 0.2, seed: 42 });
    const airline = split("airline");
    expect(airline.validation).toEqual(["34", "21", "14", "43", "39", "9"]);
    expect(airline.train).toEqual(["7", "17", "15", "23", "12", "42", "49", "38", "27", "46", "1", "20", "33", "3", "28", "47", "5", "41", "10", "11", "40", "0", "4", "36"]);
    const retail = split("retail");
    expect(retail.validation).toEqual(["103", "23", "54", "10", "8", "91", "109", "92", "69", "59", "20", "99", "88", "44"]);
    expect(retail.train).toHaveLength(60);
    expect(retail.train.slice(0, 5)).toEqual(["83", "43", "78", "82", "104"]);
  });
});

describe("slidingBatch", () => {
  const tasks = ["a", "b", "c", "d", "e", "f", "g"];
  test("steps of 5, the short last batch filled from the start, 1-based epoch and position", () => {
    expect(slidingBatch(tasks, 1, 5)).toEqual({ items: ["a", "b", "c", "d", "e"], epoch: 1, batchInEpoch: 1, stepsPerEpoch: 2 });
    expect(slidingBatch(tasks, 2, 5)).toEqual({ items: ["f", "g", "a", "b", "c"], epoch: 1, batchInEpoch: 2, stepsPerEpoch: 2 });
    expect(slidingBatch(tasks, 3, 5)).toEqual({ items: ["a", "b", "c", "d", "e"], epoch: 2, batchInEpoch: 1, stepsPerEpoch: 2 });
    expect(slidingBatch(tasks, 6, 5).epoch).toBe(3);
  });
  test("a batch larger than the list is the whole list; an empty list gives nothing", () => {
    expect(slidingBatch(["a", "b"], 4, 5)).toEqual({ items: ["a", "b"], epoch: 4, batchInEpoch: 1, stepsPerEpoch: 1 });
    expect(slidingBatch([], 1, 5).items).toEqual([]);
  });
});

describe("personasPerTask", () => {
  const schedule: [number, number][] = [
    [1, 5],
    [2, 8],
    [3, 10],
  ];
  test("by epoch on a pool of ≤ 100 tasks", () => {
    expect([1, 2, 3, 9].map((epoch) => personasPerTask(schedule, { epoch, iteration: 1, trainSize: 24, final: 10 }))).toEqual([5, 8, 10, 10]);
    // Before the first threshold: N_final.
    expect(personasPerTask([[2, 4]], { epoch: 1, iteration: 1, trainSize: 24, final: 10 })).toBe(10);
  });
  test("by 20-iteration stages on a pool of more than 100 tasks, whatever the epoch", () => {
    expect([1, 20, 21, 40, 41, 500].map((iteration) => personasPerTask(schedule, { epoch: 1, iteration, trainSize: 101, final: 10 }))).toEqual([5, 5, 8, 8, 10, 10]);
    expect(personasPerTask(schedule, { epoch: 9, iteration: 3, trainSize: 101, final: 10 })).toBe(5);
  });
});

describe("parseEvolveSection", () => {
  test("splits engine and PPol keys, with PPol defaults", () => {
    const r = parseEvolveSection({ iterations: 9, batch_size: 3, personas_schedule: [[1, 2]] }, "ppol.toml [evolve]");
    expect(r.engine).toEqual({ iterations: 9 });
    expect(r.ppol).toMatchObject({ batch_size: 3, personas_schedule: [[1, 2]], personas_final: 10, train_max_steps: 20, validation_max_steps: 30, validation_fraction: 0.2, split_seed: 42 });
  });
  test("an unknown key names the nearest one; a bad value names its key", () => {
    expect(() => parseEvolveSection({ iteratons: 9 }, "ppol.toml [evolve]")).toThrow('ppol.toml [evolve]: unknown key "iteratons" (did you mean "iterations"?)');
    expect(() => parseEvolveSection({ batch_size: 0 }, "ppol.toml [evolve]")).toThrow("ppol.toml [evolve]: batch_size:");
    expect(() => parseEvolveSection({ exploration: 0.6, exploitation: 0.6 }, "x")).toThrow("x: exploitation: exploration + exploitation must be at most 1");
  });
});
