/**
 * Issue 10 item 2: human and simulator turns are prepared the reference's way by default, the same way on
 * both sides, and a score or a discriminator never mixes two preparations or two cue sets.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { episodeToConversation, parseConversations, prepareMessages, readConversations, toJsonl } from "../../src/conversations/index.ts";
import { type Conversation, type Message, Preparation, userTurns } from "../../src/model/index.ts";
import { CUE_SET_NAMES, CUE_SETS, fingerprint } from "../../src/fitness/index.ts";
import { createRun, type EpisodeRecord, insertEpisode, openStore } from "../../src/store/index.ts";
import { runCli } from "../support/cli.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

const u = (content: string): Message => ({ role: "user", content });
const a = (content: string): Message => ({ role: "assistant", content });

function episode(id: string, runId: string, ordinal: number, userTexts: string[]): EpisodeRecord {
  return {
    id, run_id: runId, ordinal, domain: "retail", task_id: String(ordinal), trial: 0, persona_key: "", persona_text: null, seed: 1,
    agent_model: "m1", user_model: "m2", termination: "user_stop", reward: 1, reward_info: {}, steps: 6, tool_errors: 0, user_turns: userTexts.length,
    messages: [
      { role: "assistant", content: "Hi! How can I help you today?", turn: 0 },
      ...userTexts.flatMap((t, i) => [{ role: "user" as const, content: t, turn: 2 * i + 1 }, { role: "assistant" as const, content: null, toolCalls: [], turn: 2 * i + 2 }]),
    ],
    fidelity: [], llm_calls: 6, prompt_tokens: 0, completion_tokens: 0, error: null, retries: [], user_guidelines_sha256: null, evaluation: "evaluated", ms: 1000, created_at: new Date(0).toISOString(),
  };
}

describe("prepareMessages", () => {
  const raw = [a("Hi"), u("hello"), u("   "), u(""), a("Sure"), u("thanks ###STOP###"), u("###TRANSFER###"), a("after")];

  test("reference: only empty and whitespace-only user turns go; tokens stay as text", () => {
    expect(prepareMessages(raw, "reference")).toEqual([a("Hi"), u("hello"), a("Sure"), u("thanks ###STOP###"), u("###TRANSFER###"), a("after")]);
  });

  test("strip-control: tokens removed (turns left empty dropped, with what answers them); commands removed", () => {
    expect(prepareMessages(raw, "strip-control")).toEqual([a("Hi"), u("hello"), a("Sure"), u("thanks")]);
    const usi = [u("\\tau task_index:a-1 model:m"), a("Hi"), u("need a bag"), a("ok"), u(" /stop "), a("Please rate"), u("\\reward"), a("Reward: 1")];
    expect(prepareMessages(usi, "strip-control")).toEqual([a("Hi"), u("need a bag"), a("ok")]);
    // A token inside a sentence goes; text around it stays; "###" that is no token is left alone.
    expect(prepareMessages([u("ok ###OUT-OF-SCOPE### bye"), u("### heading")], "strip-control")).toEqual([u("ok  bye"), u("### heading")]);
  });

  test("preparing twice changes nothing, in both modes", () => {
    for (const mode of Preparation.options) expect(prepareMessages(prepareMessages(raw, mode), mode)).toEqual(prepareMessages(raw, mode));
  });

  test("a stripped JSONL export is refused only where a reference preparation is asked for", () => {
    const line = toJsonl([{ id: "x", source: "run:r", messages: [u("thanks")], meta: { preparation: "strip-control" } }]);
    expect(() => parseConversations(line, "jsonl", "x.jsonl", { preparation: "reference" })).toThrow(/x\.jsonl: conversation "x" was exported with --strip-control/);
    expect(parseConversations(line, "jsonl", "x.jsonl", { preparation: "strip-control" })[0]!.meta.preparation).toBe("strip-control");
    expect(userTurns(parseConversations(line, "jsonl", "x.jsonl")[0]!)).toEqual(["thanks"]); // e.g. `ppol fidelity`
  });
});

describe("the same words on both sides give the same fingerprint in each mode", () => {
  sharedTest("τ-USI human (retail_902_ann2, ends with /stop) vs a simulated episode ending with ###STOP###", () => {
    const words = ["Cancel my order pls", "dont remember which one, maybe lee.k902@example.com?", "#W0000902. ordered by mistake", "yes"];
    const sim = episode("e1", "sim-x", 0, [...words, "###STOP###"]);
    for (const mode of Preparation.options) {
      const human = readConversations(sharedPath("fixtures/tau-usi-example.json"), "tau-usi", { preparation: mode }).find((c) => c.id === "retail_902_ann2")!;
      const simulated = episodeToConversation(sim, mode);
      // reference: "/stop" and "###STOP###" are both the one token "stop" and match no cue; strip-control: both gone
      expect(userTurns(human)).toEqual(mode === "reference" ? [...words, "/stop"] : words);
      expect(userTurns(simulated)).toEqual(mode === "reference" ? [...words, "###STOP###"] : words);
      for (const name of CUE_SET_NAMES) expect(fingerprint(userTurns(simulated), CUE_SETS[name])).toEqual(fingerprint(userTurns(human), CUE_SETS[name]));
    }
    // …and the two modes differ, so the test above compares something: 5 turns vs 4
    expect(fingerprint(userTurns(episodeToConversation(sim, "reference"))).words_per_turn).not.toBe(fingerprint(userTurns(episodeToConversation(sim, "strip-control"))).words_per_turn);
  });
});

describe("fingerprint --strip-control", () => {
  sharedTest("the τ-USI fixture's airline_901: 5 turns of 15 tokens by default, 3 turns of 13 tokens stripped", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-prep-fp-"));
    const fp = async (...extra: string[]) => {
      const r = await runCli(["fingerprint", sharedPath("fixtures/tau-usi-example.json"), "--format", "tau-usi", ...extra], { cwd });
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.lines[0]!).features;
    };
    // default: hi need to add a bag (6) · ana_ruiz_101 and its qx7t2b (4) · ugh fine yes (3) · stop (1) · reward (1)
    expect((await fp()).words_per_turn).toBe(15 / 5);
    expect((await fp("--strip-control")).words_per_turn).toBe(13 / 3);
  });
});

describe("CLI: preparation and cue set are stored, and mixing them is refused (exit 2, one line)", () => {
  const dir = mkdtempSync(join(tmpdir(), "ppol-prep-"));
  const db = join(dir, "a.sqlite");
  const ppol = (...argv: string[]) => runCli([...argv, "--db", db], { cwd: dir });
  const human = (i: number): Conversation => ({ id: `h${i}`, source: "human", domain: "retail", task_id: String(i % 3), messages: [a("Hi"), u(["need refund", "ugh", "order W1"][i % 3]!), a("ok"), u("/stop")], meta: {} });

  beforeAll(() => {
    writeFileSync(join(dir, "humans.jsonl"), toJsonl(Array.from({ length: 12 }, (_, i) => human(i))));
    const store = openStore(db);
    createRun(store, { id: "sim-run", kind: "simulate", config: {}, seed: 1, version: "0.1.0", now: new Date(0) });
    for (let i = 0; i < 12; i++) insertEpisode(store, episode(`e${i}`, "sim-run", i, ["Hello! I would like a refund for my order, please.", "Thank you so much for your help today.", "###STOP###"]));
    store.close();
  });

  test("train on a run and score it: both sides read as the human set was imported; the preparation is recorded", async () => {
    const imp = JSON.parse((await ppol("human", "import", "humans.jsonl", "--format", "jsonl", "--name", "h-ref", "--split", "hash", "--json")).out);
    expect(imp.preparation).toBe("reference");
    const t = await ppol("discriminator", "train", "--human", "h-ref", "--human-split", "all", "--simulator", "sim-run", "--trees", "10", "--json");
    expect(t.code, t.err).toBe(0);
    const tr = JSON.parse(t.out);
    expect(tr).toMatchObject({ preparation: "reference", cue_version: "ref-d49b1e0", n_simulator: 12 });
    const s = await ppol("score", "--episodes", "sim-run", "--human", "h-ref", "--discriminator", tr.id, "--json");
    expect(s.code, s.err).toBe(0);
    // reference: the run's user turns keep ###STOP###, so each episode has 3 user turns
    expect(JSON.parse(s.out).episodes[0].features.words_per_turn).toBeCloseTo((10 + 8 + 1) / 3, 12); // hello i would like a refund for my order please · thank you so much for your help today · stop

    expect((await ppol("human", "import", "humans.jsonl", "--format", "jsonl", "--name", "h-strip", "--split", "hash", "--strip-control")).code).toBe(0);
    const t2 = JSON.parse((await ppol("discriminator", "train", "--human", "h-strip", "--human-split", "all", "--simulator", "sim-run", "--trees", "10", "--json")).out);
    expect(t2.preparation).toBe("strip-control");
    const s2 = JSON.parse((await ppol("score", "--episodes", "sim-run", "--human", "h-strip", "--discriminator", t2.id, "--json")).out);
    expect(s2.episodes[0].features.words_per_turn).toBeCloseTo((10 + 8) / 2, 12); // ###STOP### removed on the simulator side too

    const bad: [string[], RegExp][] = [
      // two preparations in one discriminator or one score
      [["human", "import", "humans.jsonl", "--format", "jsonl", "--name", "sims-strip", "--kind", "simulator", "--strip-control"], /^$/],
      [["discriminator", "train", "--human", "h-ref", "--simulator", "sims-strip"], /simulator set "sims-strip" has "strip-control" turns but human set "h-ref" has "reference" turns/],
      [["score", "--episodes", "sim-run", "--human", "h-strip", "--discriminator", tr.id], /human "h-strip" has "strip-control" turns, but discriminator d-\w+ was trained on "reference" turns/],
      [["score", "--episodes", "sims-strip", "--human", "h-ref", "--discriminator", tr.id], /episodes "sims-strip" has "strip-control" turns, but discriminator/],
      // another cue set than the discriminator's
      [["score", "--episodes", "sim-run", "--human", "h-ref", "--discriminator", tr.id, "--cues", "ppol-cues-1"], /trained on cue set "ref-d49b1e0", but these fingerprints would use "ppol-cues-1"/],
      // unknown cue set names, on every command that takes --cues
      [["fingerprint", "humans.jsonl", "--cues", "reff"], /--cues: unknown cue set "reff".*ref, ppol-cues-1/],
      [["discriminator", "train", "--human", "h-ref", "--simulator", "sim-run", "--cues", "ppol-cues-2"], /--cues: unknown cue set "ppol-cues-2"/],
      [["score", "--episodes", "sim-run", "--human", "h-ref", "--discriminator", tr.id, "--cues", "nope"], /--cues: unknown cue set "nope"/],
      [["simulate", "--domain", "retail", "--cues", "nope"], /--cues: unknown cue set "nope"/],
    ];
    for (const [argv, pattern] of bad) {
      const r = await ppol(...argv);
      if (pattern.source === "^$") {
        expect(r.code, argv.join(" ")).toBe(0);
        continue;
      }
      expect(r.code, `${argv.join(" ")}: ${r.err}`).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(pattern);
      expect(r.err.split("\n"), argv.join(" ")).toHaveLength(1);
    }
  });

  test("export conversations RUN: ###STOP### kept by default, removed with --strip-control; meta.preparation says which", async () => {
    const users = async (...extra: string[]) => {
      const r = await ppol("export", "conversations", "sim-run", "--out", "x.jsonl", ...extra);
      expect(r.code, r.err).toBe(0);
      const first = JSON.parse(readFileSync(join(dir, "x.jsonl"), "utf8").split("\n")[0]!);
      return { meta: first.meta.preparation, users: userTurns(first) };
    };
    expect(await users()).toEqual({ meta: "reference", users: ["Hello! I would like a refund for my order, please.", "Thank you so much for your help today.", "###STOP###"] });
    expect(await users("--strip-control")).toEqual({ meta: "strip-control", users: ["Hello! I would like a refund for my order, please.", "Thank you so much for your help today."] });
    const back = await ppol("human", "import", "x.jsonl", "--format", "jsonl", "--name", "x", "--kind", "simulator");
    expect(back.code).toBe(2);
    expect(back.err).toMatch(/x\.jsonl: conversation "e0" was exported with --strip-control/);
  });

  test("cue set from ppol.toml (fitness.cues); an unknown one there is exit 2 naming the key", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-prep-cfg-"));
    writeFileSync(join(cwd, "t.jsonl"), toJsonl([human(0)]));
    writeFileSync(join(cwd, "ppol.toml"), '[fitness]\ncues = "ppol-cues-1"\n');
    // "100% sure": certainty in ppol-cues-1, not in ref
    writeFileSync(join(cwd, "c.jsonl"), toJsonl([{ id: "c", source: "x", messages: [u("100% sure")], meta: {} }]));
    const viaToml = await runCli(["fingerprint", "c.jsonl"], { cwd });
    expect(JSON.parse(viaToml.out).features.certainty_rate).toBe(1);
    expect(JSON.parse((await runCli(["fingerprint", "c.jsonl", "--cues", "ref"], { cwd })).out).features.certainty_rate).toBe(0);
    writeFileSync(join(cwd, "ppol.toml"), '[fitness]\ncues = "nope"\n');
    const r = await runCli(["fingerprint", "t.jsonl"], { cwd });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/fitness\.cues \(file:.*ppol\.toml\): unknown cue set "nope"/);
    expect(r.err.split("\n")).toHaveLength(1);
  });

  test("a --strip-control export cannot be read back as reference; a discriminator from before preparation was recorded is refused", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "ppol-prep-exp-"));
    const db2 = join(cwd, "b.sqlite");
    writeFileSync(join(cwd, "humans.jsonl"), toJsonl(Array.from({ length: 6 }, (_, i) => human(i))));
    expect((await runCli(["human", "import", "humans.jsonl", "--format", "jsonl", "--name", "s", "--strip-control", "--db", db2], { cwd })).code).toBe(0);
    expect((await runCli(["conversations", "export", "s", "--out", "s.jsonl", "--db", db2], { cwd })).code).toBe(0);
    const back = await runCli(["human", "import", "s.jsonl", "--format", "jsonl", "--name", "again", "--db", db2], { cwd });
    expect(back.code).toBe(2);
    expect(back.err).toMatch(/s\.jsonl: conversation "h0" was exported with --strip-control, so it cannot be prepared as "reference"/);
    expect((await runCli(["human", "import", "s.jsonl", "--format", "jsonl", "--name", "again", "--strip-control", "--db", db2], { cwd })).code).toBe(0);

    const t = JSON.parse((await runCli(["discriminator", "train", "--human", "s", "--human-split", "all", "--simulator", "again", "--trees", "5", "--json", "--db", db2], { cwd })).out);
    const store = openStore(db2);
    const row = store.db.query("SELECT model FROM discriminators WHERE id = ?").get(t.id) as { model: string };
    const legacy = JSON.parse(row.model);
    delete legacy.provenance.preparation;
    store.db.query("INSERT INTO discriminators (id, human_set, simulator, cv_auc, model, created_at) VALUES ('d-legacy', 's', 'again', 0.5, ?, '1970-01-01')").run(JSON.stringify(legacy));
    store.close();
    const r = await runCli(["score", "--episodes", "again", "--human", "s", "--discriminator", "d-legacy", "--db", db2], { cwd });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/discriminator d-legacy was trained before ppol recorded how turns were prepared/);
  });
});
