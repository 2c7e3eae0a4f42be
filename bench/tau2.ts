/**
 * τ² environment costs: replay of all 164 gold action lists including DB loading (goal ≤ 1.5 s), one
 * environment reset (goal ≤ 5 ms), and reset vs a naive deep copy (structuredClone) of the airline DB.
 * Data: TAU2_DATA_DIR, else ../shared/tau2/domains beside the checkout.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createEnvironment, goldCalls, loadDomainDir, replay, type Domain } from "../src/tau2/index.ts";
import { median, report } from "./_util.ts";

const dir = process.env.TAU2_DATA_DIR ?? resolve(import.meta.dir, "../../shared/tau2/domains");
const NAMES = ["retail", "airline"] as const;

function fullRun(): { ms: number; calls: number; errors: number; domains: Domain[] } {
  const t0 = performance.now();
  let calls = 0;
  let errors = 0;
  const domains = NAMES.map((n) => loadDomainDir(dir, n));
  for (const d of domains) {
    for (const t of d.tasks) {
      for (const c of replay(d, goldCalls(d, t.id)).calls) {
        calls++;
        if (c.error) errors++;
      }
    }
  }
  return { ms: performance.now() - t0, calls, errors, domains };
}

const runs = [fullRun(), fullRun(), fullRun()];
const { calls, errors, domains } = runs[0]!;
console.log(`data: ${dir}  (${calls} gold calls, ${errors} tool errors, 164 tasks expected: ${domains.reduce((n, d) => n + d.tasks.length, 0)})`);
report("load 2 domains + replay 164 gold lists (median of 3)", median(runs.map((r) => r.ms)), "ms", { max: 1500 });

const loadTimes = NAMES.map((n) => {
  const xs = [0, 1, 2].map(() => {
    const t0 = performance.now();
    loadDomainDir(dir, n);
    return performance.now() - t0;
  });
  return median(xs);
});
NAMES.forEach((n, i) => report(`  of which: load ${n}`, loadTimes[i]!, "ms"));

const airline = domains[1]!;
const resets: number[] = [];
for (let i = 0; i < 2000; i++) {
  const t0 = performance.now();
  createEnvironment(airline);
  resets.push(performance.now() - t0);
}
const reset = median(resets);
report("environment reset (airline, median of 2000)", reset * 1000, "µs", { max: 5000 });

const raw = JSON.parse(readFileSync(resolve(dir, "airline/db.json"), "utf8"));
const copies: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  structuredClone(raw);
  copies.push(performance.now() - t0);
}
const copy = median(copies);
report("naive deep copy of airline db (structuredClone)", copy, "ms");
console.log(`reset / deep copy = ${(reset / copy).toExponential(2)}  (deep copy is ${(copy / reset).toFixed(0)}x slower)`);
