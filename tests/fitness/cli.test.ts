import { Database } from "bun:sqlite";
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toJsonl } from "../../src/conversations/index.ts";
import { type Conversation } from "../../src/model/index.ts";
import { FEATURE_NAMES } from "../../src/fitness/index.ts";
import { createRng } from "../../src/rng.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { runCli } from "../support/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "ppol-fitness-cli-"));
const db = join(dir, "a.sqlite");

const ppol = (...argv: string[]) => runCli([...argv, "--db", db], { cwd: dir });

/** Terse "humans" and long, polite "simulator" users: easy to tell apart. */
function synthetic(): { humans: Conversation[]; sims: Conversation[] } {
  const rng = createRng(11);
  const pick = <T>(xs: T[]) => xs[rng.int(xs.length)]!;
  const terse = ["need refund", "order W123", "yes", "no", "ugh fine", "why so slow", "ok", "cancel it", "wrong one", "idk maybe"];
  const polite = [
    "Hello! I would like to request a refund for my recent order, please. Thank you so much for your help.",
    "Certainly, my user ID is jane_doe_1234 and the order number is #W1234567. I appreciate your assistance.",
    "Yes, that sounds perfect. Could you please confirm the total amount that will be refunded to my card?",
    "Thank you very much for your help today; I really appreciate your patience with this request.",
  ];
  const conv = (id: string, source: string, task: string, turns: string[]): Conversation => ({
    id, source, domain: "retail", task_id: task,
    messages: turns.flatMap((t) => [{ role: "assistant" as const, content: "How can I help?" }, { role: "user" as const, content: t }]), meta: {},
  });
  const humans = Array.from({ length: 30 }, (_, i) => conv(`h${i}`, "human", String(i % 6), Array.from({ length: 3 + rng.int(4) }, () => pick(terse))));
  const sims = Array.from({ length: 30 }, (_, i) => conv(`s${i}`, "simulator", String(i % 6), Array.from({ length: 3 + rng.int(3) }, () => pick(polite))));
  return { humans, sims };
}

let discId = "";
beforeAll(() => {
  const { humans, sims } = synthetic();
  writeFileSync(join(dir, "humans.jsonl"), toJsonl(humans));
  writeFileSync(join(dir, "sims.jsonl"), toJsonl(sims));
  writeFileSync(join(dir, "one.jsonl"), toJsonl(humans.slice(0, 1)));
  writeFileSync(join(dir, "empty.jsonl"), "");
  writeFileSync(join(dir, "silent.jsonl"), toJsonl([{ id: "q", source: "x", messages: [{ role: "assistant", content: "hello?" }], meta: {} }, { id: "p", source: "x", messages: [{ role: "user", content: "?!..." }], meta: {} }]));
});

describe("fitness CLI", () => {
  test("import → train → score, end to end, with the documented JSON shape", async () => {
    const h = await ppol("human", "import", "humans.jsonl", "--format", "jsonl", "--name", "h", "--split", "hash", "--json");
    expect(h.code).toBe(0);
    const hs = JSON.parse(h.out);
    expect(hs).toMatchObject({ name: "h", kind: "human", n: 30, split_rule: "hash", normalization: "none", space: "z" });
    expect(hs.train + hs.test).toBe(30);
    expect((await ppol("human", "import", "sims.jsonl", "--format", "jsonl", "--name", "s", "--kind", "simulator")).code).toBe(0);

    const t = await ppol("discriminator", "train", "--human", "h", "--simulator", "s", "--trees", "50", "--json");
    expect(t.code).toBe(0);
    const tr = JSON.parse(t.out);
    expect(tr.id).toMatch(/^d-[0-9a-f]{12}$/);
    expect(tr.cv_auc).toBeGreaterThan(0.9);
    expect(t.err).toBe("");
    discId = tr.id;
    // Deterministic with the seed: retraining gives the same model id.
    expect(JSON.parse((await ppol("discriminator", "train", "--human", "h", "--simulator", "s", "--trees", "50", "--json")).out).id).toBe(discId);

    const s = await ppol("score", "--episodes", "sims.jsonl", "--human", "h", "--discriminator", discId, "--json");
    expect(s.code).toBe(0);
    const r = JSON.parse(s.out);
    expect(Object.keys(r)).toEqual(["episodes", "tasks", "hl", "cov", "score", "dice"]);
    expect(Object.keys(r.episodes[0])).toEqual(["id", "task_id", "p_human", "features"]);
    expect(Object.keys(r.episodes[0].features)).toEqual([...FEATURE_NAMES]);
    expect(Object.keys(r.tasks[0])).toEqual(["task_id", "coverage"]);
    expect(Object.keys(r.dice)).toEqual(["D1", "D2", "D3", "D4", "usi"]);
    expect(r.episodes).toHaveLength(30);
    expect(r.tasks).toHaveLength(6);
    expect(r.hl).toBeLessThan(0.3);
    expect(r.score).toBeCloseTo(0.5 * r.hl + 0.5 * r.cov, 12);

    const hsScore = JSON.parse((await ppol("score", "--episodes", "humans.jsonl", "--human", "h", "--discriminator", discId, "--json")).out);
    expect(hsScore.hl).toBeGreaterThan(0.7);
    expect(hsScore.cov).toBeGreaterThan(r.cov);

    const table = await ppol("score", "--episodes", "humans.jsonl", "--human", "h", "--discriminator", discId);
    expect(table.out).toContain("HL");
    expect(table.out).toContain("USI");

    const rows = new Database(db).query("SELECT result, cue_version, preparation, feature_version FROM scores").all() as { result: string; cue_version: string; preparation: string; feature_version: string }[];
    expect(rows.length).toBe(3);
    for (const row of rows) {
      expect(row.result).not.toMatch(/null|NaN/);
      expect(row.cue_version).toBe("ref-d49b1e0"); // the default cue set
      expect(row.preparation).toBe("reference");
    }
  });

  test("fingerprint prints one {id, features} line per conversation; no user turns → zeros, never NaN", async () => {
    const r = await ppol("fingerprint", "silent.jsonl");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["q", "p"]);
    expect(Object.keys(lines[0].features)).toEqual([...FEATURE_NAMES]);
    for (const l of lines) for (const v of Object.values(l.features)) expect(Number.isFinite(v as number)).toBe(true);
    expect(Object.values(lines[0].features).every((v) => v === 0)).toBe(true);
  });

  test("conversations export writes the stored set as JSONL with the split in meta", async () => {
    const r = await ppol("conversations", "export", "h", "--split", "train");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.meta.split === "train" && l.source === "human")).toBe(true);
  });

  test("bad inputs: one clear line, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["fingerprint", "humans.jsonl", "--format", "jsnl"], /unknown format "jsnl" \(did you mean "jsonl"\?\)/],
      [["human", "import", "empty.jsonl", "--format", "jsonl", "--name", "e"], /no conversation with a user turn/],
      [["human", "import", "silent.jsonl", "--format", "jsonl", "--name", "e", "--split", "sometimes"], /unknown --split/],
      [["human", "import", "humans.jsonl", "--format", "jsonl", "--name", "h"], /already exists.*--replace/],
      [["human", "import", "missing.jsonl", "--format", "jsonl"], /missing\.jsonl: cannot read/],
      [["score", "--episodes", "sims.jsonl", "--human", "h", "--discriminator", "d-nope"], /no discriminator "d-nope"/],
      [["score", "--episodes", "nowhere.jsonl", "--human", "h", "--discriminator", "d-nope"], /no discriminator/],
      [["score", "--episodes", "sims.jsonl", "--human", "h"], /--discriminator are required/],
      [["discriminator", "train", "--human", "h", "--simulator", "nothing-here"], /neither a stored conversation set nor a file/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await ppol(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err, argv.join(" ")).toMatch(pattern);
      expect(r.err.split("\n")).toHaveLength(1);
    }
  });

  test("a human set with one conversation: training refuses clearly, scoring works with documented d_ref = 1", async () => {
    expect((await ppol("human", "import", "one.jsonl", "--format", "jsonl", "--name", "one", "--split", "train")).code).toBe(0);
    const t = await ppol("discriminator", "train", "--human", "one", "--simulator", "s");
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/at least 2 conversations per class \(human 1, simulator 30\)/);
    const s = await ppol("score", "--episodes", "humans.jsonl", "--human", "one", "--discriminator", discId, "--json");
    expect(s.code).toBe(0);
    const r = JSON.parse(s.out);
    for (const v of [r.hl, r.cov, r.score, r.dice.usi]) expect(Number.isFinite(v)).toBe(true);
  });

  test("humans and simulator alike → AUC warning on stderr", async () => {
    const r = await ppol("discriminator", "train", "--human", "h", "--simulator", "humans.jsonl", "--trees", "20");
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: CV ROC-AUC 0\.\d+ is below 0\.7/);
  });

  sharedTest("acceptance: MultiDoGO airline (human) vs τ-bench airline simulator, normalised", async () => {
    const mdg = sharedPath("corpora/multidogo/airline");
    expect((await ppol("human", "import", `${mdg}/train.tsv`, `${mdg}/dev.tsv`, "--format", "multidogo", "--name", "mdg")).code).toBe(0);
    const t = await ppol("discriminator", "train", "--human", "mdg", "--simulator", sharedPath("corpora/tau-bench-sim/gpt-4o-airline.json"), "--normalize", "--json");
    expect(t.code).toBe(0);
    const tr = JSON.parse(t.out);
    expect(tr.normalization).toBe("lower-punct");
    expect(tr.cv_auc).toBeGreaterThan(0.7);
    const s = JSON.parse((await ppol("score", "--episodes", sharedPath("corpora/tau-bench-sim/gpt-4o-airline.json"), "--human", "mdg", "--discriminator", tr.id, "--json")).out);
    expect(s.tasks).toHaveLength(40);
    expect(s.hl).toBeLessThan(0.5);
  }, 60_000);
});
