/**
 * `bun run bench -- fitness`: fingerprint 10,000 user turns with each cue set; train the forest on 2,000
 * fingerprints; HL + coverage for a 50-episode batch against a 1,000-dialogue human cloud.
 * Baselines in Python, same data, single-threaded, best of their runs like ppol's side:
 * - fingerprint: an independent Python fingerprint with the reference's arithmetic (one re.search per
 *   pattern, numpy mean/std; tests/fixtures/fitness/fingerprint_py.py) on the ref banks. Goal: ppol's ref
 *   set ≥ 5× faster. Needs numpy; without it that comparison is skipped and the same script's plain-Python
 *   arithmetic is timed as an extra line (not the goal's baseline).
 * - forest and HL + coverage: scikit-learn, numpy, scipy, where installed (skipped otherwise).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CUE_SET_NAMES, CUE_SETS, type Features, FEATURE_NAMES, fingerprint, fitForest, fromVector, pHuman, prepareCloud, taskCoverage, toVector, trainDiscriminator } from "../src/fitness/index.ts";
import { createRng } from "../src/rng.ts";
import { report } from "./_util.ts";

const rng = createRng(42);
const pick = <T>(xs: readonly T[]) => xs[rng.int(xs.length)]!;
const words = "i need to change my flight booking order refund the a for on please thanks why is it not working again today".split(" ");
const extras = ["ugh", "maybe", "are you sure?", "ok", "#W1234567", "how about tuesday instead", "thank you so much", "what do you mean", "this is ridiculous", "user id jane_doe_12"];
const turn = () => [...Array.from({ length: 1 + rng.int(14) }, () => pick(words)), ...(rng.next() < 0.5 ? [pick(extras)] : [])].join(" ");

// 1,000 episodes × 10 user turns = 10,000 turns.
const episodes = Array.from({ length: 1000 }, () => Array.from({ length: 10 }, turn));
const TURNS = 10_000;

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

const fpBy = Object.fromEntries(CUE_SET_NAMES.map((name) => [name, time(() => episodes.map((e) => fingerprint(e, CUE_SETS[name])), 5)]));
for (const name of CUE_SET_NAMES) {
  report(`fingerprint 10,000 user turns, cues ${name}`, fpBy[name]!.ms, "ms");
  report(`  throughput, cues ${name}`, TURNS / (fpBy[name]!.ms / 1000), "turns/s");
}
const fp = fpBy.ref!;

// ---- the reference's fingerprint arithmetic in Python, on the same turns and the ref banks ----
const dir = mkdtempSync(join(tmpdir(), "ppol-bench-fitness-"));
writeFileSync(join(dir, "turns.json"), JSON.stringify({ episodes, cues: resolve(import.meta.dir, "../src/fitness/cues/ref.json") }));
const PY_FINGERPRINT = resolve(import.meta.dir, "../tests/fixtures/fitness/fingerprint_py.py");
function pythonFingerprint(extra: string[]): { features: Record<string, number>[]; ms: number; numpy: boolean } | string {
  const run = spawnSync("python3", [PY_FINGERPRINT, join(dir, "turns.json"), "--repeat", "3", ...extra], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.error || run.status !== 0) return (run.stderr || String(run.error)).trim().split("\n").at(-1)!;
  return JSON.parse(run.stdout);
}
/** Largest |Δ| between ppol's ref fingerprints and Python's: the comparison only means something at 0. */
const maxDelta = (py: Record<string, number>[]) => Math.max(...fp.value.flatMap((f, i) => FEATURE_NAMES.map((k) => Math.abs(f[k] - py[i]![k]!))));
const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;
if (!hasNumpy) {
  console.log("python reference fingerprint (numpy): skipped: python3 lacks numpy");
  const pure = pythonFingerprint(["--pure"]);
  if (typeof pure === "string") console.log(`python plain-Python fingerprint: failed: ${pure}`);
  else {
    report("EXTRA python plain-Python fingerprint (no numpy; not the goal's baseline)", pure.ms, "ms");
    report("  EXTRA speed-up of ppol ref over it", pure.ms / fp.ms, "x");
  }
} else {
  const py = pythonFingerprint([]);
  if (typeof py === "string") console.log(`python reference fingerprint: failed: ${py}`);
  else {
    report("python reference fingerprint (re + numpy), ref banks", py.ms, "ms");
    console.log(`  same values as ppol's ref set: max |Δ| over 19 features × 1,000 episodes = ${maxDelta(py.features).toExponential(1)}`);
    report("  speed-up of ppol ref over the python reference", py.ms / fp.ms, "x", { min: 5 });
  }
}

// 2,000 fingerprints: 1,000 "human" (real turns above) and 1,000 shifted "simulator" ones.
const human: Features[] = fp.value;
const sim: Features[] = human.map((f) => fromVector(toVector(f).map((v, j) => v * (j % 3 === 0 ? 1.15 : 1) + rng.next() * 0.05)));
const X = [...human, ...sim].map(toVector);
const y = [...human.map(() => 1), ...sim.map(() => 0)];
const fit = time(() => fitForest(X, y, { nTrees: 200, maxDepth: 12, seed: 42 }), 3); // single-threaded, like n_jobs=1 below
report("forest fit: 200 trees, depth 12, 2,000 rows", fit.ms, "ms");
const prov = { cue_version: CUE_SETS.ref.version, preparation: "reference" as const, normalization: "none" as const, human: { name: "h", n: 1000, hash: "" }, simulator: { name: "s", n: 1000, hash: "" }, models: {} };
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

/** The Python side of the forest and HL + coverage (the fingerprint baseline is timed above). */
const PYTHON = String.raw`
import json, sys, time
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.preprocessing import StandardScaler
from scipy.spatial.distance import cdist, pdist
d = json.load(open(sys.argv[1]))
def best(fn, reps=3):
    ms = float("inf")
    for _ in range(reps):
        t = time.perf_counter(); fn(); ms = min(ms, (time.perf_counter() - t) * 1000)
    return ms
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
print(json.dumps({"fit_ms": fit_ms, "hl_cov_ms": hl_cov_ms}))
`;

const probe = spawnSync("python3", ["-c", "import numpy, sklearn, scipy"], { encoding: "utf8" });
if (probe.error || probe.status !== 0) {
  console.log(`python forest and HL + coverage: skipped: ${probe.error ? "python3 not found" : probe.stderr.trim().split("\n").at(-1)}`);
} else {
  writeFileSync(join(dir, "data.json"), JSON.stringify({ X, y, batch: batch.map((b) => [b.task, toVector(b.features)]) }));
  writeFileSync(join(dir, "bench.py"), PYTHON);
  const run = spawnSync("python3", [join(dir, "bench.py"), join(dir, "data.json")], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) console.log(`python forest and HL + coverage: failed: ${(run.stderr || run.stdout).trim().split("\n").at(-1)}`);
  else {
    const py = JSON.parse(run.stdout) as { fit_ms: number; hl_cov_ms: number };
    for (const [name, ours, theirs] of [["forest fit", fit.ms, py.fit_ms], ["HL + coverage", hlCov.ms, py.hl_cov_ms]] as const) {
      report(`python ${name}`, theirs, "ms");
      report(`  speed-up of ppol over python (${name})`, theirs / ours, "x", { min: 5 });
    }
  }
}
