/**
 * Per-call cost of calling a Python function already loaded in Pyodide vs spawning `python3 -c` per
 * call (what a CPython-per-evaluation design pays). Goals: ≥ 20× lower, warm call ≤ 1 ms.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bootPython, nodeModulesAssets } from "../src/python/index.ts";
import { median, report } from "./_util.ts";

const py = await bootPython({ assets: nodeModulesAssets(), cacheRoot: join(tmpdir(), "ppol-bench-cache") });
await py.run("def persona_score(words, limit):\n    return {'short': sum(1 for w in words if len(w) <= limit), 'n': len(words)}");
const args = [["hi", "my", "order", "is", "late", "again"], 3];
for (let i = 0; i < 200; i++) await py.call("persona_score", args);
const N = 2000;
const t = performance.now();
for (let i = 0; i < N; i++) await py.call("persona_score", args);
const warmMs = (performance.now() - t) / N;

console.log(`# python-call (Pyodide ${py.pyodideVersion}, Python ${py.pythonVersion})`);
report("warm call into loaded Pyodide function", warmMs, "ms", { max: 1 });

// Resolve the real interpreter: a version-manager shim (pyenv) would add its own start-up to every call.
const shim = Bun.which("python3");
const python3 = shim ? Bun.spawnSync([shim, "-c", "import sys; print(sys.executable)"]).stdout.toString().trim() || shim : undefined;
if (!python3) {
  console.log("python3 not found: spawn comparison skipped");
} else {
  const code = "import json,sys\ndef persona_score(words, limit):\n    return {'short': sum(1 for w in words if len(w) <= limit), 'n': len(words)}\nprint(json.dumps(persona_score(*json.loads(sys.argv[1]))))";
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const s = performance.now();
    const r = Bun.spawnSync([python3, "-c", code, JSON.stringify(args)], { stdout: "pipe" });
    if (!r.success) throw new Error("python3 failed");
    times.push(performance.now() - s);
  }
  const spawnMs = median(times);
  report("spawn python3 -c per call, median of 30", spawnMs, "ms");
  report("ratio spawn / warm call", spawnMs / warmMs, "x", { min: 20 });
}
