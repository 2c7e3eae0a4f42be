/** The pure parts: grid, Pareto ranking, novelty, the database's caps and migration, selection, the bandit. */
import { describe, expect, test } from "bun:test";
import {
  cellOf, crowdingDistances, EvolveOptions, Grid, MutatorBandit, nonDominatedRanks, paretoFitness, paretoFront, planMigration, ProgramDatabase, type Program, type Scored, selectParent, similarity, tokenSignature,
} from "../../src/evolve/index.ts";
import { createRng } from "../../src/rng.ts";

let n = 0;
function scored(island: number, score: number, descriptors: [number, number] = [0.5, 0.5], extra: Partial<Program> = {}): Scored {
  const id = `p${n++}`;
  return {
    id, kind: "child", generation: 1, slot: 0, attempt: 0, island, parentId: null, sourceId: null, code: `x = ${id}`, codeSha: id, diff: "", angle: null, mutatorModel: null, mutatorTarget: null,
    requestHashes: [], tokens: 0, status: "evaluated", reason: null, error: null, metrics: { score }, descriptors, objectives: [], artifacts: {}, validation: null, ...extra,
  } as Scored;
}

describe("grid", () => {
  test("cells: bins per axis, edges and out-of-range values clamped", () => {
    expect(cellOf([0, 0], 5)).toBe(0);
    expect(cellOf([0.19, 0.2], 5)).toBe(1);
    expect(cellOf([1, 1], 5)).toBe(24);
    expect(cellOf([-3, 7], 5)).toBe(4);
    expect(cellOf([0.5, 0.5], 1)).toBe(0);
  });

  test("a cell keeps its best program; ties keep the owner", () => {
    const g = new Grid(5);
    const a = scored(0, 0.5, [0.1, 0.1]);
    const b = scored(0, 0.5, [0.15, 0.12]);
    const c = scored(0, 0.6, [0.12, 0.19]);
    expect([g.place(a), g.place(b), g.place(c)]).toEqual([true, false, true]);
    expect(g.cells().map(([cell, p]) => [cell, p.id])).toEqual([[0, c.id]]);
  });
});

describe("pareto", () => {
  const points = [[3, 1], [1, 3], [2, 2], [1, 1], [0, 0], [2, 2]];
  test("fronts, crowding and the combined fitness", () => {
    const ranks = nonDominatedRanks(points);
    expect(ranks).toEqual([0, 0, 0, 1, 2, 0]);
    const crowd = crowdingDistances(points, ranks);
    expect(crowd[0]).toBe(Infinity);
    expect(crowd[1]).toBe(Infinity);
    expect(crowd[4]).toBe(Infinity);
    expect(crowd[2]! + crowd[5]!).toBeGreaterThan(0);
    const f = paretoFitness(points);
    expect(f[0]).toBeGreaterThan(f[2]!);
    expect(Math.min(f[0]!, f[1]!, f[2]!, f[5]!)).toBeGreaterThan(f[3]!);
    expect(f[3]).toBeGreaterThan(f[4]!);
    expect(paretoFront(points)).toEqual([0, 1, 2, 5]);
  });
});

describe("novelty", () => {
  const base = Array.from({ length: 60 }, (_, i) => `x${i} = ${i}`).join("\n");
  test("layout does not count; one changed token in a long program is near-identical; different programs are not", () => {
    expect(similarity(tokenSignature(base), tokenSignature(base.replaceAll(" = ", "   =  ")))).toBe(1);
    const one = similarity(tokenSignature(base), tokenSignature(base.replace("x7 = 7", "x7 = 8")));
    expect(one).toBeGreaterThan(0.98);
    expect(one).toBeLessThan(1);
    expect(similarity(tokenSignature(base), tokenSignature("def f():\n    return 1"))).toBeLessThan(0.1);
    expect(similarity(tokenSignature(""), tokenSignature(""))).toBe(1);
  });
});

const options = (o: object = {}) => EvolveOptions.parse(o);

describe("database", () => {
  test("the population cap never evicts a grid cell owner or an island's best; evicted parents stay in the archive", () => {
    const db = new ProgramDatabase(options({ islands: 1, population: 3, archive: 4 }));
    const same: [number, number] = [0.5, 0.5];
    const owners = [db.add(scored(0, 0.9, [0.05, 0.05])), db.add(scored(0, 0.1, [0.95, 0.95]))];
    const weak = [db.add(scored(0, 0.3, same)), db.add(scored(0, 0.2, same)), db.add(scored(0, 0.25, same))];
    const island = db.islands[0]!;
    expect(island.population.size).toBe(3);
    for (const o of owners) expect(island.population.has(o.id)).toBe(true);
    expect(island.grid.isOwner(weak[0]!.id)).toBe(true);
    expect([...island.archive.keys()].sort()).toEqual([...owners, weak[0]!, weak[2]!].map((e) => e.id).sort());
    expect(db.archiveSize()).toBe(4);
  });

  test("migration: the ring, the best share, never a migrant, never onto identical code", () => {
    const db = new ProgramDatabase(options({ islands: 3, migration_rate: 0.5 }));
    const a = [db.add(scored(0, 0.9)), db.add(scored(0, 0.8)), db.add(scored(0, 0.1))];
    db.add(scored(1, 0.5, [0.5, 0.5], { kind: "migrant", sourceId: "elsewhere" }));
    db.add(scored(1, 0.4));
    db.add(scored(2, 0.7, [0.5, 0.5], { codeSha: a[0]!.codeSha }));
    const plan = planMigration(db, options({ islands: 3, migration_rate: 0.5 }));
    expect(plan.map((m) => [m.source.island, m.to, m.source.metrics.score])).toEqual([
      [0, 1, 0.9],
      [0, 1, 0.8],
      [1, 2, 0.4],
    ]);
    // island 2's best has island 0's best code already: it is not sent back
    expect(plan.some((m) => m.source.island === 2)).toBe(false);
  });

  test("selection: exploitation draws elites only; the scale-free rule favours high fitness and penalises many children; uniform ignores scores", () => {
    const db = new ProgramDatabase(options({ islands: 1 }));
    const best = db.add(scored(0, 0.9, [0.1, 0.1]));
    const good = db.add(scored(0, 0.85, [0.3, 0.3]));
    const weak = [db.add(scored(0, 0.2, [0.5, 0.5])), db.add(scored(0, 0.1, [0.7, 0.7]))];
    const rng = createRng(1);
    const count = (o: object, draws = 2000) => {
      const opts = options({ islands: 1, ...o });
      const c = new Map<string, number>();
      for (let i = 0; i < draws; i++) {
        const p = selectParent(db, 0, rng, opts);
        c.set(p.id, (c.get(p.id) ?? 0) + 1);
      }
      return (id: string) => c.get(id) ?? 0;
    };
    const elites = count({ exploration: 0, exploitation: 1, elite_ratio: 0.5 });
    expect(elites(best.id) + elites(good.id)).toBe(2000);
    const weighted = count({ exploration: 0, exploitation: 0 });
    expect(weighted(best.id) + weighted(good.id)).toBeGreaterThan(1800);
    expect(weighted(weak[0]!.id)).toBeGreaterThan(0);
    expect(weighted(weak[0]!.id)).toBeGreaterThan(weighted(weak[1]!.id));
    for (let i = 0; i < 20; i++) db.noteChild(best.id);
    const after = count({ exploration: 0, exploitation: 0 });
    expect(after(good.id)).toBeGreaterThan(5 * after(best.id));
    const uniform = count({ selection: "uniform" }, 4000);
    for (const p of [best, good, ...weak]) expect(Math.abs(uniform(p.id) - 1000)).toBeLessThan(150);
  });

  test("exploration draws grid cell owners only", () => {
    const opts = options({ islands: 1, exploration: 1, exploitation: 0 });
    const db = new ProgramDatabase(opts);
    const owner = db.add(scored(0, 0.5, [0.1, 0.1]));
    db.add(scored(0, 0.4, [0.11, 0.11]));
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) expect(selectParent(db, 0, rng, opts).id).toBe(owner.id);
  });
});

describe("bandit", () => {
  test("prefers the target that improves more, and at equal chance the cheaper one", () => {
    const rng = createRng(5);
    const better = new MutatorBandit(2);
    for (let i = 0; i < 30; i++) (better.record(0, i % 10 === 0, 100), better.record(1, i % 2 === 0, 100));
    const picks = Array.from({ length: 200 }, () => better.choose(rng));
    expect(picks.filter((t) => t === 1).length).toBeGreaterThan(180);
    const cheaper = new MutatorBandit(2);
    for (let i = 0; i < 30; i++) (cheaper.record(0, i % 2 === 0, 1000), cheaper.record(1, i % 2 === 0, 100));
    expect(Array.from({ length: 200 }, () => cheaper.choose(rng)).filter((t) => t === 1).length).toBeGreaterThan(180);
  });
});
