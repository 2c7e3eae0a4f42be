/** One resolver for every named conversation source (set → file → run), and `export conversations` built on it. */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { conversationSources, toJsonl } from "../../src/conversations/index.ts";
import { describeError } from "../../src/errors.ts";
import { type Conversation, userTurns } from "../../src/model/index.ts";
import { openStore, saveConversationSet, type Store } from "../../src/store/index.ts";
import { addEpisodes, addRun, episodeRecord } from "../support/archive.ts";
import { runCli } from "../support/cli.ts";

const cwd = mkdtempSync(join(tmpdir(), "ppol-sources-"));
const db = join(cwd, "a.sqlite");
const ppol = (...argv: string[]) => runCli([...argv, "--db", db], { cwd });
const conv = (id: string, user: string): Conversation => ({ id, source: "human", domain: "retail", task_id: id, messages: [{ role: "assistant", content: "Hi" }, { role: "user", content: user }], meta: {} });

let store: Store;
beforeAll(() => {
  store = openStore(db);
  const set = { kind: "human" as const, format: "jsonl", domain: "retail", source_files: ["x.jsonl"], normalization: "none" as const, preparation: "reference" as const, split_rule: "hash", space: "z" as const };
  saveConversationSet(store, { ...set, name: "people" }, [{ conversation: conv("a", "from the set"), split: "train" }, { conversation: conv("b", "test side"), split: "test" }], { replace: false, now: new Date(0) });
  addRun(store, "sim-1", "simulate");
  addEpisodes(store, [episodeRecord({ run_id: "sim-1", task_id: "0" }), episodeRecord({ run_id: "sim-1", task_id: "1", termination: "agent_error" })]);
  addRun(store, "sim-broken", "simulate");
  addEpisodes(store, [episodeRecord({ run_id: "sim-broken", task_id: "0", termination: "infrastructure_error" })]);
  // A file named like the set: the set wins.
  writeFileSync(join(cwd, "people"), toJsonl([conv("f", "from a file")]));
  writeFileSync(join(cwd, "c.jsonl"), toJsonl([conv("f", "from a file")]));
  store.close();
  store = openStore(db);
});

describe("conversationSources", () => {
  test("a set first, then a file (relative to cwd), then a run's scorable episodes; labels and preparation as recorded", () => {
    const sources = conversationSources({ store: () => store, cwd });
    const set = sources.resolve("people", { preparation: "strip-control" });
    expect(set).toMatchObject({ label: "people", preparation: "reference", normalization: "none", splits: ["train", "test"] });
    expect(set.conversations.map((c) => userTurns(c)[0])).toEqual(["from the set", "test side"]);
    expect(sources.resolve("people", { preparation: "reference", split: "test" }).conversations.map((c) => c.id)).toEqual(["b"]);

    const file = sources.resolve("c.jsonl", { preparation: "strip-control" });
    expect(file).toMatchObject({ label: "c.jsonl", preparation: "strip-control", normalization: "none" });
    expect(file.set).toBeUndefined();
    expect(file.conversations.map((c) => c.id)).toEqual(["f"]);

    // The agent_error episode is left out; the stop token follows the preparation asked for.
    const run = sources.resolve("sim-1", { preparation: "reference" });
    expect(run.label).toBe("run:sim-1");
    expect(run.conversations.map((c) => c.task_id)).toEqual(["0"]);
    expect(userTurns(run.conversations[0]!)).toEqual(["hello", "###STOP###"]);
    expect(userTurns(sources.resolve("sim-1", { preparation: "strip-control" }).conversations[0]!)).toEqual(["hello"]);
  });

  test("what cannot be resolved is an InputError that says what it is and what exists", () => {
    const sources = conversationSources({ store: () => store, cwd });
    expect(() => sources.resolve("sim-broken", { preparation: "reference" })).toThrow(/run "sim-broken" has no episode with a conversation to read/);
    expect(() => sources.resolve("nothing", { preparation: "reference" })).toThrow(/"nothing" is neither a stored conversation set nor a file nor a run/);
    expect(() => sources.resolve("c.jsonl", { preparation: "reference", split: "train" })).toThrow(/"c\.jsonl" is a file, not a stored set/);
    expect(() => sources.resolve("sim-1", { preparation: "reference", split: "train" })).toThrow(/"sim-1" is a run, not a stored set/);
    expect(() => sources.set("c.jsonl")).toThrow(/no conversation set "c\.jsonl" in the archive/);
    try {
      sources.set("c.jsonl");
    } catch (error) {
      expect(describeError(error)).toBe('no conversation set "c.jsonl" in the archive — stored sets: people');
    }
  });

  test("without a working directory (the server) no file is read, even one that exists", () => {
    const sources = conversationSources({ store: () => store });
    expect(() => sources.resolve(resolve(cwd, "c.jsonl"), { preparation: "reference" })).toThrow(/neither a stored conversation set nor a run/);
    expect(sources.resolve("sim-1", { preparation: "reference" }).conversations).toHaveLength(1);
  });

  test("reading a file never opens the archive", () => {
    let opened = 0;
    const sources = conversationSources({ store: () => (opened++, store), cwd });
    expect(sources.file("c.jsonl", { preparation: "reference" }).conversations).toHaveLength(1);
    expect(opened).toBe(0);
  });
});

describe("export conversations (alias: conversations export)", () => {
  test("both names are one command: same bytes for a set, with meta.split and meta.preparation", async () => {
    const a = await ppol("export", "conversations", "people");
    const b = await ppol("conversations", "export", "people");
    expect(a.code, a.err).toBe(0);
    expect(b.out).toBe(a.out);
    expect(a.out.split("\n").map((l) => JSON.parse(l).meta)).toEqual([{ split: "train", preparation: "reference" }, { split: "test", preparation: "reference" }]);
    const test1 = await ppol("conversations", "export", "people", "--split", "test", "--normalize");
    expect(test1.out.split("\n").map((l) => userTurns(JSON.parse(l)))).toEqual([["test side"]]);
  });

  test("a file in any format is converted; --out writes it and says from what", async () => {
    const fixture = join(import.meta.dir, "../fixtures/conversations/tau2-results.json");
    const r = await ppol("export", "conversations", fixture, "--out", "t2.jsonl");
    expect(r.code, r.err).toBe(0);
    const lines = readFileSync(join(cwd, "t2.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(r.out).toBe(`wrote ${lines.length} conversations from ${fixture} to t2.jsonl`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.meta.preparation === "reference" && l.meta.termination !== undefined)).toBe(true);
  });

  test("bad input: exit 2, one line", async () => {
    const cases: [string[], RegExp][] = [
      [["export", "conversations", "sim-1", "--split", "train"], /"sim-1" is a run, not a stored set: it has no train\/test split/],
      [["conversations", "export", "people", "--split", "dev"], /export conversations: unknown --split "dev"/],
      [["export", "conversations", "nobody"], /"nobody" is neither a stored conversation set nor a file nor a run.*stored sets: people/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await ppol(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(pattern);
      expect(r.err.split("\n")).toHaveLength(1);
    }
  });

  test("fingerprinting a file creates no archive in the working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-sources-fp-"));
    writeFileSync(join(dir, "c.jsonl"), toJsonl([conv("f", "from a file")]));
    const r = await runCli(["fingerprint", "c.jsonl"], { cwd: dir });
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dir, "ppol.sqlite"))).toBe(false);
  });
});
