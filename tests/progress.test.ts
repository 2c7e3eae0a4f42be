import { expect, test } from "bun:test";
import { formatDuration, Progress } from "../src/cli/progress.ts";

test("progress line shows done/total, percent, elapsed and an ETA from the observed rate", () => {
  let now = 0;
  const lines: string[] = [];
  const p = new Progress({ label: "episodes", total: 10, write: (t) => lines.push(t), isTTY: false, now: () => now, plainEveryMs: 1000 });
  now = 4000;
  p.tick(2, "pass 0.50");
  // 2 done in 4 s → 0.5/s → 8 remaining take 16 s.
  expect(p.line()).toContain("2/10 20%");
  expect(p.line()).toContain("ETA 16s");
  expect(p.line()).toContain("pass 0.50");
  now = 20_000;
  p.tick(8);
  p.finish();
  expect(lines.at(-1)).toContain("10/10 100%");
  expect(lines.at(-1)).toContain("ETA done");
});

test("on a terminal it redraws in place and throttles", () => {
  let now = 0;
  const writes: string[] = [];
  const p = new Progress({ label: "x", total: 100, write: (t) => writes.push(t), isTTY: true, now: () => now });
  for (let i = 0; i < 50; i++) p.tick(); // same instant: one draw
  expect(writes).toHaveLength(1);
  expect(writes[0]).toStartWith("\r\x1b[2K");
  now = 150;
  p.tick();
  expect(writes).toHaveLength(2);
});

test("durations format as s, m, h", () => {
  expect(formatDuration(42)).toBe("42s");
  expect(formatDuration(125)).toBe("2m05s");
  expect(formatDuration(7260)).toBe("2h01m");
});

test("in a log, a job shorter than the interval prints nothing at all", () => {
  let now = 0;
  const lines: string[] = [];
  const p = new Progress({ label: "x", total: 3, write: (t) => lines.push(t), isTTY: false, now: () => now, plainEveryMs: 10_000 });
  p.tick();
  now = 500;
  p.tick(2);
  p.finish();
  expect(lines).toEqual([]);
  now = 20_000;
  const q = new Progress({ label: "y", total: 2, write: (t) => lines.push(t), isTTY: false, now: () => now, plainEveryMs: 10_000 });
  now = 31_000;
  q.tick();
  now = 32_000;
  q.tick();
  q.finish();
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("2/2 100%");
});

test("a resumed job's earlier work counts as done but not towards the rate", () => {
  let now = 0;
  const p = new Progress({ label: "episodes", total: 100, alreadyDone: 90, write: () => {}, isTTY: false, now: () => now });
  expect(p.line()).toContain("90/100 90%");
  expect(p.line()).toContain("ETA …");
  now = 10_000;
  p.tick(2);
  // 2 done here in 10 s → 0.2/s → 8 left take 40 s (not the 90-inflated 1 s).
  expect(p.line()).toContain("92/100");
  expect(p.line()).toContain("ETA 40s");
});
