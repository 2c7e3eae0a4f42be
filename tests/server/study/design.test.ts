import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../../src/errors.ts";
import { createRng } from "../../../src/rng.ts";
import { annotatorOrders, blindMessages, createStudy, drawItems, resultsOf, type Pool } from "../../../src/server/index.ts";
import { annotatorByToken, openStore, studyItemMessages, type ShownMessage } from "../../../src/store/index.ts";
import { seedArchive } from "../../support/seed-archive.ts";

const say = (text: string): ShownMessage[] => [{ speaker: "customer", text }];
const pool = (condition: string, n: number): Pool => ({ condition, candidates: Array.from({ length: n }, (_, i) => ({ ref: `${condition}-${i}`, messages: say(`${condition} ${i}`) })) });

describe("blinding", () => {
  test("keeps only customer and agent text: no tool messages, markup, stop tokens", () => {
    const shown = blindMessages({
      messages: [
        { role: "assistant", content: "Hi! How can I help you today?" },
        { role: "user", content: "return my lamp\r\n\r\n\r\n\r\nplease" },
        { role: "assistant", content: "<|tool|>find_user_id_by_email(...)<|/tool|>" },
        { role: "tool", content: '{"user_id": "sara_doe_496"}' },
        { role: "assistant", content: '<|think|>policy says<|/think|>Done. <function=x><parameter=y>1</parameter></function>' },
        { role: "user", content: "thanks ###STOP###" },
        { role: "user", content: "###TRANSFER###" },
      ],
    });
    expect(shown).toEqual([
      { speaker: "agent", text: "Hi! How can I help you today?" },
      { speaker: "customer", text: "return my lamp\n\nplease" },
      { speaker: "agent", text: "Done." },
      { speaker: "customer", text: "thanks" },
    ]);
  });
});

describe("balanced draw", () => {
  test("n splits evenly over conditions, without repeats, in an order that mixes them", () => {
    const items = drawItems([pool("human", 40), pool("run-a", 40), pool("run-b", 40)], 31, createRng(7));
    expect(items.map((i) => i.item)).toEqual(Array.from({ length: 31 }, (_, i) => i));
    const counts = Object.fromEntries(["human", "run-a", "run-b"].map((c) => [c, items.filter((i) => i.condition === c).length]));
    expect(Object.values(counts).sort()).toEqual([10, 10, 11]);
    expect(new Set(items.map((i) => i.sourceRef)).size).toBe(31);
    // Not grouped by source: the first ten items are not all from one condition.
    expect(new Set(items.slice(0, 10).map((i) => i.condition)).size).toBeGreaterThan(1);
  });

  test("same seed, same study; conversations without a customer turn are never drawn", () => {
    const a = drawItems([pool("human", 5), pool("run", 5)], 6, createRng(3));
    expect(drawItems([pool("human", 5), pool("run", 5)], 6, createRng(3))).toEqual(a);
    const silent: Pool = { condition: "run", candidates: [{ ref: "x", messages: [{ speaker: "agent", text: "hello?" }] }, ...pool("run", 3).candidates] };
    expect(drawItems([pool("human", 3), silent], 6, createRng(1)).some((i) => i.sourceRef === "x")).toBe(false);
  });

  test("a source too small for its share is an input error naming it", () => {
    expect(() => drawItems([pool("human", 10), pool("run-small", 2)], 10, createRng(1))).toThrow(/"run-small" has 2 usable conversations, the study needs 5/);
    expect(() => drawItems([pool("human", 10)], 4, createRng(1))).toThrow(InputError);
  });

  test("each annotator gets every item in an order of their own", () => {
    const orders = annotatorOrders(20, 3, createRng(5));
    for (const o of orders) expect([...o].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(orders[0]).not.toEqual(orders[1]);
  });
});

describe("createStudy on an archive", () => {
  const fresh = () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), "ppol-study-")), "a.sqlite"));
    seedArchive(store);
    return store;
  };
  let n = 0;
  const token = () => `tok-${String(++n).padStart(18, "0")}`;

  test("stores blinded items from the human set and a run, and one link per annotator", () => {
    const store = fresh();
    const made = createStudy(store, { name: "pilot", humans: "people", from: ["run-sim"], n: 6, annotators: 3, seed: 1 }, { now: new Date(0), token });
    expect(made.items).toBe(6);
    expect(made.links).toHaveLength(3);
    const conditions = store.db.query("SELECT condition, count(*) AS n FROM study_items WHERE study = 'pilot' GROUP BY condition ORDER BY condition").all();
    expect(conditions).toEqual([{ condition: "human", n: 3 }, { condition: "run-sim", n: 3 }]);
    for (let item = 0; item < 6; item++) {
      const text = JSON.stringify(studyItemMessages(store, "pilot", item));
      for (const hint of ["###STOP###", "<|think|>", "find_user_id_by_email", "not found", "run-sim", "people", "persona"]) expect(text).not.toContain(hint);
    }
    const session = annotatorByToken(store, made.links[1]!.token)!;
    expect(session.annotator).toBe(2);
    expect([...session.order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(resultsOf(store, "pilot").answers).toBe(0);
    store.close();
  });

  test("bad plans are input errors: unknown set, duplicate name, a run too small, a bad name", () => {
    const store = fresh();
    const plan = { name: "s1", humans: "people", from: ["run-sim"], n: 4, annotators: 2, seed: 1 };
    expect(() => createStudy(store, { ...plan, humans: "sims" }, { now: new Date(0), token })).toThrow(/not a stored human conversation set/);
    expect(() => createStudy(store, { ...plan, from: ["nope"] }, { now: new Date(0), token })).toThrow(/"nope" is neither a stored conversation set nor a run/);
    // The server's study form names sets and runs: an existing file on its machine is never read.
    const file = join(mkdtempSync(join(tmpdir(), "ppol-study-file-")), "c.jsonl");
    writeFileSync(file, `${JSON.stringify({ id: "c", source: "x", messages: [{ role: "user", content: "hi" }] })}\n`);
    expect(() => createStudy(store, { ...plan, from: [file] }, { now: new Date(0), token })).toThrow(/neither a stored conversation set nor a run/);
    expect(() => createStudy(store, { ...plan, n: 40 }, { now: new Date(0), token })).toThrow(/usable conversations/);
    expect(() => createStudy(store, { ...plan, name: "../x" }, { now: new Date(0), token })).toThrow(/study: name/);
    createStudy(store, plan, { now: new Date(0), token });
    expect(() => createStudy(store, plan, { now: new Date(0), token })).toThrow(/already exists/);
    store.close();
  });
});
