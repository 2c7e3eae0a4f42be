import { UsageError } from "../errors.ts";
import { answerRows, resultsOf, type StudyResults } from "../server/index.ts";
import { defineCommand, str } from "./command.ts";
import { table } from "./format.ts";

const f = (x: number | null, d = 3) => (x === null ? "–" : x.toFixed(d));
const pct = (x: number | null) => (x === null ? "–" : `${(100 * x).toFixed(1)}%`);

function render(r: StudyResults): string {
  const conditions = table(
    ["condition", "conversations", "judgments", "judged human", "95% CI", "confidence"],
    r.conditions.map((c) => [c.condition, String(c.conversations), String(c.judgments), pct(c.judged_human), c.ci_low === null ? "–" : `${pct(c.ci_low)}–${pct(c.ci_high)}`, f(c.mean_confidence, 2)]),
  );
  const tests = r.comparisons.length ? table(["a", "b", "Welch t", "df", "p"], r.comparisons.map((c) => [c.a, c.b, f(c.t), f(c.df, 1), c.p.toPrecision(3)])) : "(no condition pair has two judged conversations each)";
  const annotators = table(["annotator", "answered", "accuracy"], r.per_annotator.map((a) => [String(a.annotator), `${a.answered}/${r.items}`, pct(a.accuracy)]));
  return `study ${r.study}: ${r.items} conversations, ${r.annotators} annotators, ${r.answers} answers, Fleiss' κ ${f(r.fleiss_kappa)}\n\n${conditions}\n\n${tests}\n\n${annotators}`;
}

const csvCell = (v: unknown) => {
  // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
  const s = /^[=+\-@]/.test(String(v)) ? `'${String(v)}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export default defineCommand({
  name: "study results",
  summary: "a study's results: % judged human per condition (95% CI), Welch's t, Fleiss' κ, annotator accuracy",
  usage: "ppol study results NAME [--json | --csv]",
  description:
    "The unit is the conversation: its share of 'human' judgments. Per condition the mean share with a 95% t-interval; Welch's t-test for every pair of conditions; " +
    "Fleiss' κ over conversations with two or more answers; accuracy = answers matching the truth (human ↔ the human set). --csv prints every answer with its condition.",
  options: {
    json: { type: "boolean", description: "print the results as one JSON document" },
    csv: { type: "boolean", description: "print every answer as CSV: annotator,item,condition,judgment,confidence,correct,comment" },
  },
  positionals: { min: 1, max: 1, names: "NAME" },
  examples: ["ppol study results pilot", "ppol study results pilot --csv > answers.csv"],
  run(ctx) {
    if (ctx.values.json && ctx.values.csv) throw new UsageError("study results: pass --json or --csv, not both");
    const name = ctx.positionals[0]!;
    const store = ctx.store();
    const results = resultsOf(store, name);
    if (ctx.values.json) return void ctx.io.out(JSON.stringify(results));
    if (ctx.values.csv) {
      const cols = ["annotator", "item", "condition", "judgment", "confidence", "correct", "comment"] as const;
      ctx.io.out([cols.join(","), ...answerRows(store, name).map((r) => cols.map((k) => csvCell(r[k])).join(","))].join("\n"));
      return;
    }
    ctx.io.out(render(results));
  },
});
