import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FEATURE_NAMES } from "../../src/fitness/index.ts";
import { PLOT_FILES, projectFingerprints, renderEvolution, renderFeatures, renderGrid, renderPca, renderRunOutputs } from "../../src/report/index.ts";

/** Marks of one kind, by the aria role description vega writes on each one. */
const marks = (svg: string, kind: string) => (svg.match(new RegExp(`aria-roledescription="${kind}"`, "g")) ?? []).length;

/** Well-formed enough: one <svg> root and balanced <g> groups. */
function expectSvg(svg: string) {
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  expect((svg.match(/<g[\s>]/g) ?? []).length).toBe((svg.match(/<\/g>/g) ?? []).length);
}

const vec = (f: (j: number) => number) => FEATURE_NAMES.map((_, j) => f(j));

describe("plots", () => {
  test("evolution: one line per island and measure; a measure with no values draws no line", async () => {
    const points = ["0", "1", "2"].flatMap((island) => [0, 1, 2, 3].map((iteration) => ({ island, iteration, train_score: 0.1 * iteration, val_score: null, hl: 0.5, cov: 0.2 })));
    const svg = await renderEvolution(points);
    expectSvg(svg);
    expect(marks(svg, "line mark")).toBe(9); // 3 islands × (train, HL, Cov); validation never measured
    const withVal = await renderEvolution(points.map((p) => ({ ...p, val_score: p.iteration % 2 ? null : 0.3 })));
    expect(marks(withVal, "line mark")).toBe(12);
    expect(withVal).toContain("validation score");
  });

  test("grid: one rect per occupied cell", async () => {
    const svg = await renderGrid([{ island: 0, x: 0, y: 0, score: 0.9 }, { island: 0, x: 2, y: 1, score: 0.4 }, { island: 1, x: 1, y: 1, score: 0.1 }], { x: "verbosity", y: "pushback" });
    expectSvg(svg);
    expect(marks(svg, "rect mark")).toBe(3);
    expect(svg).toContain("verbosity");
  });

  test("PCA: one point per fingerprint; the axis the humans and a shifted condition differ on is PC1", async () => {
    const humans = Array.from({ length: 12 }, (_, i) => vec((j) => (j === 0 ? i : j === 1 ? (i % 3) * 0.1 : 0)));
    const shifted = Array.from({ length: 5 }, (_, i) => vec((j) => (j === 0 ? 40 + i : 0)));
    const { points } = projectFingerprints({ humans, conditions: [{ name: "base", fingerprints: shifted }] });
    const h = points.filter((p) => p.group === "humans").map((p) => p.pc1);
    const b = points.filter((p) => p.group === "base").map((p) => p.pc1);
    expect(h).toHaveLength(12);
    expect(b).toHaveLength(5);
    // words_per_turn dominates the human variance, and "base" lies far beyond the humans along it.
    expect(Math.min(...b.map(Math.abs))).toBeGreaterThan(Math.max(...h.map(Math.abs)));
    const svg = await renderPca({ humans, conditions: [{ name: "base", fingerprints: shifted }, { name: "ppol", fingerprints: humans.slice(0, 3) }] });
    expectSvg(svg);
    expect(marks(svg, "point")).toBe(12 + 5 + 3);
    expect(() => projectFingerprints({ humans: [vec(() => 1)], conditions: [] })).toThrow();
  });

  test("feature bars: 19 panels × (humans + conditions) bars", async () => {
    const svg = await renderFeatures({ humans: vec((j) => j / 19), conditions: [{ name: "base", means: vec(() => 0.5) }, { name: "ppol", means: vec(() => 0.2) }] });
    expectSvg(svg);
    expect(marks(svg, "bar")).toBe(19 * 3);
    expect(svg).toContain("words_per_turn");
  });

  test("bad input is rejected by the zod types", async () => {
    await expect(renderGrid([{ island: 0, x: 0.5, y: 0, score: 1 }])).rejects.toThrow();
    await expect(renderFeatures({ humans: [1, 2], conditions: [] })).rejects.toThrow();
  });

  test("a run's outputs hold only the plots there is data for", async () => {
    const files = await renderRunOutputs({ plots: { grid: [{ island: 0, x: 0, y: 0, score: 1 }], evolution: [] } });
    expect(files.map((f) => [f.name, f.content_type])).toEqual([[PLOT_FILES.grid, "image/svg+xml"]]);
    expect(marks(files[0]!.body, "rect mark")).toBe(1);
  });

  test("renders inside a compiled binary (no browser, no canvas)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-plots-bin-"));
    const entry = join(dir, "entry.ts");
    writeFileSync(entry, `import { renderGrid } from ${JSON.stringify(join(import.meta.dir, "../../src/report/index.ts"))};\nconst svg = await renderGrid([{ island: 0, x: 0, y: 0, score: 1 }, { island: 0, x: 1, y: 0, score: 0.5 }]);\nconsole.log((svg.match(/aria-roledescription="rect mark"/g) ?? []).length);\n`);
    const build = Bun.spawnSync([process.execPath, "build", "--compile", "--format=esm", entry, "--outfile", join(dir, "plot-bin")], { stderr: "pipe" });
    expect(build.exitCode).toBe(0);
    const run = Bun.spawnSync([join(dir, "plot-bin")], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    expect(run.stderr.toString()).toBe("");
    expect(run.stdout.toString().trim()).toBe("2");
  }, 120_000);
});
