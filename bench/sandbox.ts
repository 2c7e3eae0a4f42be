/**
 * `bun run bench -- sandbox`: costs of running model-written programs in the sandbox.
 *  - per-call overhead of calling a loaded program again inside its sandbox (goal ≤ 5 ms)
 *  - "new program" → first call returns, with a spare process ready (goal ≤ 50 ms) and without (goal ≤ 1.5 s)
 *  - the OpenEvolve way for comparison: spawn CPython per evaluation (when python3 is on PATH)
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheRoot, createSandboxPool, DEFAULT_LIMITS, ensureRuntimeDir, nodeModulesAssets, SandboxProcess } from "../src/python/index.ts";
import { median, report } from "./_util.ts";

const assets = nodeModulesAssets();
const root = cacheRoot(process.env);
const PROGRAM = "def f(x):\n    return {'y': x * 2}\n";
const limits = DEFAULT_LIMITS;
const runtimeDir = ensureRuntimeDir(root, assets).dir;

// Warm the runtime cache and the memory snapshot once.
{
  const p = new SandboxProcess({ assets, cacheRoot: root, unsafe: false, runtimeDir });
  await p.ready;
  await p.dispose();
}

// 1. Per-call overhead on a loaded program.
{
  const p = new SandboxProcess({ assets, cacheRoot: root, unsafe: false, runtimeDir });
  await p.ready;
  await p.load(PROGRAM, "bench.py", limits);
  for (let i = 0; i < 50; i++) await p.call("f", [i], limits);
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    const o = await p.call("f", [i], limits);
    times.push(performance.now() - t);
    if (!o.ok) throw new Error(`call failed: ${o.error}`);
  }
  await p.dispose();
  report("call a loaded program again (median of 500)", median(times), "ms", { max: 5 });
}

// 2. New program → first call returns, spare ready (the spare booted in the background).
{
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const pool = createSandboxPool({ assets, cacheRoot: root, spares: 1 });
    await pool.warm();
    const t = performance.now();
    const p = await pool.acquire();
    await p.load(PROGRAM, "bench.py", limits);
    const o = await p.call("f", [21], limits);
    times.push(performance.now() - t);
    if (!o.ok) throw new Error(o.error ?? "failed");
    void p.dispose();
    await pool.close();
  }
  report("new program → first call, spare ready (median of 7)", median(times), "ms", { max: 50 });
}

// 3. New program → first call returns, no spare (spawn + boot from snapshot + confine + run).
{
  const times: number[] = [];
  const boots: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const p = new SandboxProcess({ assets, cacheRoot: root, unsafe: false, runtimeDir });
    await p.ready;
    await p.load(PROGRAM, "bench.py", limits);
    const o = await p.call("f", [21], limits);
    times.push(performance.now() - t);
    boots.push(p.bootMs);
    if (!o.ok) throw new Error(o.error ?? "failed");
    await p.dispose();
  }
  report("new program → first call, no spare (median of 5)", median(times), "ms", { max: 1500 });
  report("  of which Pyodide boot inside the child", median(boots), "ms");
}

// 4. Baseline: a fresh CPython per evaluation, as OpenEvolve does.
{
  // Resolve the real interpreter once (pyenv and similar put a slow shell shim on PATH).
  const shim = Bun.which("python3");
  const python = shim ? Bun.spawnSync([shim, "-c", "import sys; print(sys.executable)"]).stdout.toString().trim() || shim : null;
  if (!python) console.log("python3 not found: CPython baseline skipped");
  else {
    const file = join(tmpdir(), `ppol-bench-${process.pid}.py`);
    await Bun.write(file, `${PROGRAM}import json, sys\nprint(json.dumps(f(21)))\n`);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      const proc = Bun.spawnSync([python, file]);
      times.push(performance.now() - t);
      if (!proc.success) throw new Error(proc.stderr.toString());
    }
    report("CPython spawned per evaluation (median of 10)", median(times), "ms");
  }
}
