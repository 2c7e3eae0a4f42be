/**
 * The evolve dashboard seam: the page renders whatever plain EvolveDashboardData the evolution engine's
 * query returns (wired through ServerDeps.evolveDashboard); without it an evolve run gets the generic page.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, EvolveDashboardData, type ServerDeps } from "../../src/server/index.ts";
import { createRun, getRun, openReadStore, openStore } from "../../src/store/index.ts";
import { XSS } from "../support/seed-archive.ts";
import { tags } from "./_server.ts";

function deps(evolveDashboard?: ServerDeps["evolveDashboard"]): ServerDeps {
  const db = join(mkdtempSync(join(tmpdir(), "ppol-dash-")), "a.sqlite");
  const write = openStore(db);
  createRun(write, { id: "evo", kind: "evolve", config: {}, seed: 1, version: "0.1.0", now: new Date(0) });
  return { read: openReadStore(db), write, security: { adminToken: "t".repeat(20), secret: "s", loopback: true }, now: () => new Date(0), pollMs: 50, token: () => "x", seed: () => 1, evolveDashboard };
}

const data = (run: ReturnType<typeof getRun>): EvolveDashboardData => ({
  run: run!,
  iterations: [0, 1, 2].flatMap((iteration) => [0, 1].map((island) => ({ island, iteration, train: 0.3 + 0.1 * iteration, validation: null, hl: 0.5, cov: 0.4 }))),
  grids: [{ island: 0, bins: 5, cells: [{ hlBin: 4, covBin: 0, score: 0.93, program: "a".repeat(64) }, { hlBin: 0, covBin: 4, score: 0.12, program: "b".repeat(64) }] }],
  children: [
    { iteration: 1, island: 0, program: "a".repeat(64), parent: null, accepted: true, reason: "new elite in cell (4, 0)" },
    { iteration: 2, island: 1, program: "c".repeat(64), parent: "a".repeat(64), accepted: false, reason: `diff did not apply ${XSS}` },
  ],
  usage: { promptTokens: 1000, completionTokens: 200, cost: 0.0123, callsPerSecond: 1.5 },
});

const host = { host: "127.0.0.1" };

describe("evolve dashboard", () => {
  test("renders islands, grid heat cells and children from plain data; the API returns the same data", async () => {
    const d = deps((store, runId) => (runId === "evo" ? data(getRun(store, runId)) : undefined));
    const app = createApp(d);
    const res = await app.request("/runs/evo", { headers: host });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<td class="heat-9"><a href="\/programs\/a{64}"/); // score .93 → darkest
    expect(html).toContain('class="heat-1"');
    expect(html.match(/<td class="empty">/g)).toHaveLength(23); // 25 cells, 2 elites
    expect(html).toContain('<td class="rejected">rejected</td>');
    expect(html).toContain("&lt;script&gt;window.__xss=1&lt;/script&gt;");
    for (const t of tags(html)) expect(/\son[a-z]+\s*=/i.test(t.attrs)).toBe(false);
    expect(html.match(/data-chart="islands"/g)).toHaveLength(4);
    const api = await app.request("/api/runs/evo/dashboard", { headers: host });
    expect(EvolveDashboardData.parse(await api.json()).iterations).toHaveLength(6);
  });

  test("without the evolution engine's query an evolve run shows the generic run page, and the API says 404", async () => {
    const app = createApp(deps());
    const html = await (await app.request("/runs/evo", { headers: host })).text();
    expect(html).toContain("<h2>episodes</h2>");
    expect((await app.request("/api/runs/evo/dashboard", { headers: host })).status).toBe(404);
  });
});
