/**
 * `bun run bench -- fitness`: fingerprint 10,000 user turns; train the forest on 2,000 fingerprints;
 * HL + coverage for a 50-episode batch against a 1,000-dialogue human cloud. Where python3 has numpy and
 * scikit-learn, the same three steps run in Python (re + sklearn + numpy, same cue sources and data) and
 * the speed-up is printed (goal: ppol ≥ 5× faster). Both sides report the best of their runs, single-threaded.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACKNOWLEDGMENTS, CUE_LISTS, createRng, type Features, fingerprint, fitForest, fromVector, pHuman, prepareCloud, taskCoverage, toVector, trainDiscriminator } from "../src/fitness/index.ts";
import { report } from "./_util.ts";

const rng = createRng(42);
const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
const words = "i need to change my flight booking order refund the a for on please thanks why is it not working again today".split(" ");
const extras = ["ugh", "maybe", "are you sure?", "ok", "#W1234567", "how about tuesday instead", "thank you so much", "what do you mean", "this is ridiculous", "user id jane_doe_12"];
const turn = () => [...Array.from({ length: 1 + rng.int(14) }, () => pick(words)), ...(rng.next() < 0.5 ? [pick(extras)] : [])].join(" ");

// 1,000 episodes × 10 user turns = 10,000 turns.
const episodes = Array.from({ length: 1000 }, () => Array.from({ length: 10 }, turn));

/** Best of `reps` runs (the machine may be shared; the Python side is timed the same way). */
function time<T>(fn: () => T, reps: number): { ms: number; value: T } {
  let ms = Infinity;
  let value!: T;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    value = fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return { ms, value };
}

const fp = time(() => episodes.map((e) => fingerprint(e)), 5);
report("fingerprint 10,000 user turns", fp.ms, "ms");

// 2,000 fingerprints: 1,000 "human" (real turns above) and 1,000 shifted "simulator" ones.
const human: Features[] = fp.value;
const sim: Features[] = human.map((f) => fromVector(toVector(f).map((v, j) => v * (j % 3 === 0 ? 1.15 : 1) + rng.next() * 0.05)));
const X = [...human, ...sim].map(toVector);
const y = [...human.map(() => 1), ...sim.map(() => 0)];
const fit = time(() => fitForest(X, y, { nTrees: 200, maxDepth: 12, seed: 42 }), 3); // single-threaded, like n_jobs=1 below
report("forest fit: 200 trees, depth 12, 2,000 rows", fit.ms, "ms");
const prov = { normalization: "none" as const, human: { name: "h", n: 1000, hash: "" }, simulator: { name: "s", n: 1000, hash: "" }, models: {} };
const train = time(() => trainDiscriminator(human, sim, prov), 1);
report(`discriminator train incl. 5-fold CV (AUC ${train.value.model.cv.mean.toFixed(3)})`, train.ms, "ms");

// 50 episodes (5 tasks × 10 personas) against a 1,000-dialogue human cloud, z space.
const batch = sim.slice(0, 50).map((features, i) => ({ task: String(i % 5), features }));
const model = train.value.model;
const hlCov = time(() => {
  const cloud = prepareCloud(human.map(toVector), { space: "z" });
  const hl = batch.reduce((s, e) => s + pHuman(model, e.features), 0) / batch.length;
  const tasks = [...new Set(batch.map((e) => e.task))];
  const cov = tasks.reduce((s, t) => s + taskCoverage(batch.filter((e) => e.task === t).map((e) => toVector(e.features)), cloud), 0) / tasks.length;
  return { hl, cov };
}, 5);
report(`HL + coverage, 50 episodes vs 1,000 humans (HL ${hlCov.value.hl.toFixed(3)}, Cov ${hlCov.value.cov.toFixed(3)})`, hlCov.ms, "ms");

/** The Python side: the same features with `re` (cue sources are already in Python notation), sklearn, numpy. */
const PYTHON = String.raw`
import json, re, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler
from scipy.spatial.distance import cdist, pdist
d = json.load(open(sys.argv[1]))
cues = {k: re.compile("|".join("(?:%s)" % c for c in v)) for k, v in d["cues"].items()}
ack = re.compile("^(?:%s)[.!,]*$" % "|".join(re.escape(a) for a in d["acks"]))
ident = re.compile(r"#[A-Z0-9]{5,}|[A-Z0-9]{6,}|\b\d{7,}\b|\S+@\S+\.\S+")
def fp(turns):
    low = [t.lower() for t in turns]
    toks = [re.findall(r"\b\w+\b", t) for t in low]
    L = [len(t) for t in toks]; n = len(L); m = sum(L) / n
    f = {k: sum(1 for t in low if r.search(t)) / n for k, r in cues.items()}
    f["words_per_turn"] = m
    f["short_utterance_rate"] = sum(1 for l in L if l <= 3) / n
    f["acknowledgment_rate"] = sum(1 for t in turns if ack.fullmatch(t.strip().lower())) / n
    f["verbosity_cv"] = float(np.std(L) / m) if n > 1 and m > 0 else 0.0
    c = {}
    for t in toks:
        for i in range(len(t) - 2): c[tuple(t[i:i+3])] = c.get(tuple(t[i:i+3]), 0) + 1
    rep = {k for k, v in c.items() if v > 3}
    f["repetition_rate"] = sum(1 for t in toks if any(tuple(t[i:i+3]) in rep for i in range(len(t) - 2))) / n
    f["front_loading_ratio"] = 0.0 if sum(L) == 0 else (L[0] + L[1]) / sum(L) if n >= 2 else 1.0
    f["identifiers_per_turn"] = sum(len(ident.findall(t)) for t in turns) / n
    f["opening_length"] = L[0]
    return f
def best(fn, reps=3):
    ms = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); fn(); ms = min(ms, (time.perf_counter() - t) * 1000)
    return ms
fp_ms = best(lambda: [fp(e) for e in d["episodes"]])
X = StandardScaler().fit_transform(np.array(d["X"])); y = np.array(d["y"])
fit_ms = best(lambda: RandomForestClassifier(n_estimators=200, max_depth=12, class_weight="balanced", random_state=42, n_jobs=1).fit(X, y))
clf = RandomForestClassifier(n_estimators=200, max_depth=12, class_weight="balanced", random_state=42, n_jobs=1).fit(X, y)
H = np.array(d["X"][:1000]); P = np.array([b[1] for b in d["batch"]]); tasks = np.array([b[0] for b in d["batch"]])
sc = StandardScaler().fit(np.array(d["X"]))
def hl_cov():
    hl = clf.predict_proba(sc.transform(P))[:, 1].mean()
    mu, sd = H.mean(0), H.std(0); sd[sd < 1e-9] = 1.0; Hz = (H - mu) / sd
    dref = pdist(Hz).mean()
    covs = []
    for task in sorted(set(tasks)):
        C = cdist(Hz, (P[tasks == task] - mu) / sd)
        covs.append(max(0.0, 1 - min(1.0, (C.min(1).mean() + C.min(0).mean()) / (2 * dref))))
    return hl, np.mean(covs)
hl_cov_ms = best(hl_cov)
print(json.dumps({"fingerprint_ms": fp_ms, "fit_ms": fit_ms, "hl_cov_ms": hl_cov_ms}))
`;

// ---- the same in Python, where numpy and scikit-learn exist ----
const probe = spawnSync("python3", ["-c", "import numpy, sklearn"], { encoding: "utf8" });
if (probe.error || probe.status !== 0) {
  console.log("python comparison: skipped: python3 lacks numpy/scikit-learn");
} else {
  const dir = mkdtempSync(join(tmpdir(), "ppol-bench-fitness-"));
  const cueSources = CUE_LISTS;
  writeFileSync(join(dir, "data.json"), JSON.stringify({ episodes, cues: cueSources, acks: ACKNOWLEDGMENTS, X, y, batch: batch.map((b) => [b.task, toVector(b.features)]) }));
  writeFileSync(join(dir, "bench.py"), PYTHON);
  const run = spawnSync("python3", [join(dir, "bench.py"), join(dir, "data.json")], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) console.log(`python comparison: failed: ${(run.stderr || run.stdout).trim().split("\n").at(-1)}`);
  else {
    const py = JSON.parse(run.stdout) as { fingerprint_ms: number; fit_ms: number; hl_cov_ms: number };
    for (const [name, ours, theirs] of [["fingerprint", fp.ms, py.fingerprint_ms], ["forest fit", fit.ms, py.fit_ms], ["HL + coverage", hlCov.ms, py.hl_cov_ms]] as const) {
      report(`python ${name}`, theirs, "ms");
      report(`  speed-up of ppol over python (${name})`, theirs / ours, "x", { min: 5 });
    }
  }
}
