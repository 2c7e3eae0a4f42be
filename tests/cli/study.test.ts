import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, saveStudyAnswer } from "../../src/store/index.ts";
import { seedArchive } from "../support/seed-archive.ts";
import { runCli } from "../support/cli.ts";

function workdir() {
  const cwd = mkdtempSync(join(tmpdir(), "ppol-study-cli-"));
  const store = openStore(join(cwd, "ppol.sqlite"));
  seedArchive(store);
  store.close();
  return cwd;
}

describe("ppol study create / results", () => {
  test("create prints one link per annotator; results match the hand-computed t, p and κ", async () => {
    const cwd = workdir();
    const made = await runCli(["study", "create", "--name", "pilot", "--humans", "people", "--from", "run-sim", "--n", "4", "--annotators", "2", "--base-url", "http://lab:7777/", "--json"], { cwd });
    expect(made.err).toBe("");
    expect(made.code).toBe(0);
    const doc = JSON.parse(made.out) as { items: number; links: { annotator: number; url: string }[] };
    expect(doc.items).toBe(4);
    expect(doc.links.map((l) => l.url)).toEqual([expect.stringMatching(/^http:\/\/lab:7777\/s\/[A-Za-z0-9_-]{22}$/), expect.stringMatching(/^http:\/\/lab:7777\/s\/[A-Za-z0-9_-]{22}$/)]);

    const store = openStore(join(cwd, "ppol.sqlite"));
    const items = store.db.query("SELECT item, condition FROM study_items WHERE study = 'pilot' ORDER BY item").all() as { item: number; condition: string }[];
    const humans = items.filter((i) => i.condition === "human").map((i) => i.item);
    const [simA, simB] = items.filter((i) => i.condition === "run-sim").map((i) => i.item);
    // Annotator 1: human, human, human (simA), simulator (simB). Annotator 2: human, human, simulator, simulator.
    const say = (annotator: number, item: number, judgment: "human" | "simulator") => saveStudyAnswer(store, "pilot", { annotator, item, judgment, confidence: 3, comment: annotator === 1 && item === simA ? "=HYPERLINK(\"x\")" : "" }, new Date(0));
    for (const h of humans) (say(1, h, "human"), say(2, h, "human"));
    say(1, simA!, "human");
    say(1, simB!, "simulator");
    say(2, simA!, "simulator");
    say(2, simB!, "simulator");
    store.close();

    const r = JSON.parse((await runCli(["study", "results", "pilot", "--json"], { cwd })).out);
    // Shares: human [1, 1]; run-sim [.5, 0]. Welch: t = .75/√(0 + .125/2) = 3, df = 1, p = 1 − 2·atan(3)/π.
    expect(r.conditions.map((c: { judged_human: number }) => c.judged_human)).toEqual([1, 0.25]);
    expect(r.comparisons[0].t).toBeCloseTo(3, 10);
    expect(r.comparisons[0].df).toBeCloseTo(1, 10);
    expect(r.comparisons[0].p).toBeCloseTo(0.2048327646991335, 10);
    expect(r.fleiss_kappa).toBeCloseTo(7 / 15, 12);
    expect(r.per_annotator.map((a: { accuracy: number }) => a.accuracy)).toEqual([0.75, 1]);

    const table = await runCli(["study", "results", "pilot"], { cwd });
    expect(table.out).toContain("Fleiss' κ 0.467");
    expect(table.out).toMatch(/human\s+run-sim\s+3\.000\s+1\.0\s+0\.205/);
    const csv = (await runCli(["study", "results", "pilot", "--csv"], { cwd })).lines.join("\n").split("\n");
    expect(csv[0]).toBe("annotator,item,condition,judgment,confidence,correct,comment");
    expect(csv).toHaveLength(9);
    expect(csv).toContain(`1,${simA},run-sim,human,3,false,"'=HYPERLINK(""x"")"`);
  });

  test("bad input: exit 2 with one line naming the problem", async () => {
    const cwd = workdir();
    const cases: [string[], RegExp][] = [
      [["study", "create", "--name", "x", "--humans", "people"], /--from/],
      [["study", "create", "--name", "x", "--humans", "nobody", "--from", "run-sim"], /not a stored human conversation set/],
      [["study", "create", "--name", "x", "--humans", "people", "--from", "run-sim", "--n", "50"], /usable conversations/],
      [["study", "create", "--name", "x", "--humans", "people", "--from", "run-sim", "--n", "1"], /--n/],
      [["study", "create", "--name", "x", "--humans", "people", "--from", "run-sim", "--base-url", "javascript:alert(1)"], /--base-url/],
      [["study", "results", "nope"], /no study named "nope"/],
      [["study", "results", "nope", "--json", "--csv"], /not both/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd });
      expect(`${argv.join(" ")} → ${r.code}`).toBe(`${argv.join(" ")} → 2`);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });
});
