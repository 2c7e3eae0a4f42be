/**
 * The web UI in a real browser: Playwright (playwright-core) driving Debian's Chromium at /usr/bin/chromium
 * (.ci/run installs it with apt-get; never a downloaded browser), with a fresh profile per run.
 * Screenshots go to .ci/artifacts/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { openStore } from "../../src/store/index.ts";
import { spawnCli } from "../support/cli.ts";
import { startFakeOpenAI, text } from "../support/fake-openai/index.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";
import { XSS } from "../support/seed-archive.ts";
import { ADMIN, servedArchive } from "./_server.ts";
import { startServer } from "../../src/server/index.ts";
import { evolveDashboard } from "../../src/report/index.ts";
import { mutatorReply } from "../evolve/_kit.ts";

const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`[tests] ${CHROMIUM} not found: browser tests SKIPPED (apt-get install -y chromium; .ci/run does it)`);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const ARTIFACTS = join(import.meta.dir, "../../.ci/artifacts");

let browser: BrowserContext;
beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  // A persistent context on a new temporary folder: Playwright passes it as --user-data-dir.
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "ppol-chromium-")), { executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

async function open(url: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("dialog", (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  await page.goto(url);
  return page;
}

describe.skipIf(!HAS_CHROMIUM)("browser", () => {
  test("an evolve dashboard updates live while an evolve run writes to the archive", async () => {
    const fake = await startFakeOpenAI();
    fake.reply({ role: "mutator" }, mutatorReply());
    const cwd = mkdtempSync(join(tmpdir(), "ppol-evolve-live-"));
    const db = join(cwd, "a.sqlite");
    openStore(db).close();
    const server = startServer({ db, host: "127.0.0.1", port: 0, token: ADMIN, pollMs: 100, evolveDashboard: (read, id) => evolveDashboard(read, id, {}) });
    try {
      const child = Bun.spawn([process.execPath, join(import.meta.dir, "_evolve-child.ts"), db, fake.baseUrl], { cwd, stdout: "ignore", stderr: "pipe" });
      const reader = openStore(db);
      // The dashboard exists once the seed is evaluated.
      for (let i = 0; i < 200 && !(reader.db.query("SELECT 1 FROM evolve_programs WHERE run_id = 'evo-live' AND status = 'evaluated'").get()); i++) await Bun.sleep(50);
      reader.close();
      const page = await open(`${server.url}/runs/evo-live`);
      expect(await page.getAttribute("#live", "data-status")).toBe("running");
      await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
      const seen = new Set<string>();
      for (let i = 0; i < 300; i++) {
        seen.add((await page.textContent('[data-field="evaluations"]'))!);
        if ((await page.textContent('[data-field="status"]')) === "done") break;
        await Bun.sleep(100);
      }
      expect(await child.exited).toBe(0);
      expect(await page.textContent('[data-field="status"]')).toBe("done");
      expect(seen.size).toBeGreaterThanOrEqual(3); // several evaluation counts on the way, without a reload
      expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
      expect(await page.locator('.chart[data-chart="islands"] canvas').count()).toBe(4);
      await page.screenshot({ path: join(ARTIFACTS, "evolve-dashboard-live.png"), fullPage: true });
      await page.close();
    } finally {
      server.stop();
      await fake.stop();
    }
  }, 120_000);

  sharedTest("a run page updates live while ppol simulate writes to the archive", async () => {
    const fake = await startFakeOpenAI({ latencyMs: 150 });
    const cwd = mkdtempSync(join(tmpdir(), "ppol-live-"));
    const db = join(cwd, "a.sqlite");
    openStore(db).close();
    const server = startServer({ db, host: "127.0.0.1", port: 0, token: ADMIN, pollMs: 100 });
    try {
      fake.reply({ role: "user", last: /help you/i }, text("hi, i want to return a lamp"));
      fake.reply({ role: "user" }, text("ok thanks ###STOP###"));
      const run = spawnCli(
        ["simulate", "--domain", "retail", "--tasks", "0,1,2,3", "--trials", "2", "--concurrency", "1", "--no-judge", "--max-steps", "10", "--tau2-data", sharedPath("tau2/domains"), "--endpoint", fake.baseUrl, "--model", "qwen3:8b", "--db", db, "--json"],
        { cwd },
      );
      const reader = openStore(db);
      let runId: string | undefined;
      for (let i = 0; i < 200 && !runId; i++) {
        runId = (reader.db.query("SELECT id FROM runs WHERE kind = 'simulate'").get() as { id: string } | null)?.id;
        if (!runId) await Bun.sleep(50);
      }
      expect(runId).toBeDefined();
      const page = await open(`${server.url}/runs/${runId}`);
      expect(await page.getAttribute("#live", "data-status")).toBe("running");
      await page.evaluate(() => ((window as unknown as { __same: boolean }).__same = true));
      const seen = new Set<string>();
      for (let i = 0; i < 300; i++) {
        seen.add((await page.textContent('[data-field="episodes"]'))!);
        if ((await page.textContent('[data-field="status"]')) === "done") break;
        await Bun.sleep(100);
      }
      const result = await run;
      expect(result.code).toBe(0);
      expect(await page.textContent('[data-field="status"]')).toBe("done");
      expect(await page.textContent('[data-field="episodes"]')).toBe("8");
      expect(seen.size).toBeGreaterThanOrEqual(3); // several counts shown on the way, without a reload
      expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
      expect(await page.locator("#episode-rows tr").count()).toBe(8);
      expect(await page.locator("#run-chart canvas").count()).toBeGreaterThan(0); // uPlot drew the reward curve
      await page.screenshot({ path: join(ARTIFACTS, "run-live.png"), fullPage: true });
      reader.close();
    } finally {
      await server.stop();
      await fake.stop();
    }
  }, 90_000);

  test("a program diff renders", async () => {
    const { server, ids } = servedArchive();
    try {
      const page = await open(`${server.url}/programs/${ids.programB}?against=${ids.programA}`);
      expect(await page.locator(".diff .diff-add").count()).toBe(4);
      expect(await page.locator(".diff .diff-del").count()).toBe(3);
      expect(await page.locator(".diff .diff-add").first().isVisible()).toBe(true);
      expect(await page.locator(".code .tok-keyword").count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(ARTIFACTS, "program-diff.png"), fullPage: true });
    } finally {
      await server.stop();
    }
  }, 60_000);

  test("two annotators complete a study created in the UI; the results match hand-computed t, p and κ", async () => {
    const { server, db } = servedArchive();
    try {
      const admin = await open(server.adminUrl.replace("/?", "/studies?"));
      await admin.fill('input[name="name"]', "pilot");
      await admin.selectOption('select[name="humans"]', "people");
      await admin.check('input[name="from"][value="run-sim"]');
      await admin.fill('input[name="n"]', "4");
      await admin.fill('input[name="annotators"]', "2");
      await Promise.all([admin.waitForURL(/\/studies\/pilot$/), admin.click('button[type="submit"]')]);
      const links = (await admin.locator("td code").allTextContents()).filter((t) => t.includes("/s/"));
      expect(links).toHaveLength(2);

      const store = openStore(db);
      const conditionOf = new Map((store.db.query("SELECT item, condition FROM study_items WHERE study = 'pilot'").all() as { item: number; condition: string }[]).map((r) => [r.item, r.condition]));
      const orders = (store.db.query("SELECT order_json FROM study_annotators WHERE study = 'pilot' ORDER BY annotator").all() as { order_json: string }[]).map((r) => JSON.parse(r.order_json) as number[]);
      store.close();
      const simItems = [...conditionOf].filter(([, c]) => c === "run-sim").map(([i]) => i).sort();
      // Annotator 1 calls one simulated conversation human; annotator 2 is always right.
      const judge = (annotator: number, item: number) => (conditionOf.get(item) === "human" || (annotator === 1 && item === simItems[0]) ? "human" : "simulator");
      for (const [k, link] of links.entries()) {
        const page = await open(link);
        for (let position = 1; position <= 4; position++) {
          await page.waitForURL(new RegExp(`/s/[^/]+/${position}$`));
          expect(await page.textContent("h1")).toBe(`Conversation ${position} of 4`);
          await page.check(`input[name="judgment"][value="${judge(k + 1, orders[k]![position - 1]!)}"]`);
          await page.check('input[name="confidence"][value="4"]');
          if (position === 1) await page.screenshot({ path: join(ARTIFACTS, `annotator-${k + 1}.png`), fullPage: true });
          await page.click('button[type="submit"]');
        }
        await page.waitForSelector("text=You have answered all 4 conversations");
      }
      await admin.reload();
      const body = (await admin.textContent("main"))!;
      expect(body).toContain("Fleiss' κ 0.467"); // 7/15
      const row = await admin.locator("table").nth(1).locator("tbody tr").first().locator("td").allTextContents();
      expect(row).toEqual(["human", "run-sim", "3.000", "1.0", "0.205"]); // t = 3, df = 1, p = 1 − 2·atan(3)/π
      const accuracy = await admin.locator("table").nth(2).locator("tbody tr td:nth-child(3)").allTextContents();
      expect(accuracy).toEqual(["75.0%", "100.0%"]);
      await admin.screenshot({ path: join(ARTIFACTS, "study-results.png"), fullPage: true });
    } finally {
      await server.stop();
    }
  }, 90_000);

  test("the XSS corpus stays inert on every page, annotator pages included", async () => {
    let link = "";
    const { server, ids } = servedArchive({
      payload: XSS,
      seed: (store) => {
        store.db.query("UPDATE runs SET status = 'running' WHERE id = 'run-sim'").run(); // live script active too
        void store;
      },
    });
    try {
      const res = await fetch(`${server.url}/api/studies`, { method: "POST", headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", "x-csrf-token": (await (await fetch(`${server.url}/api/csrf`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()).csrf }, body: JSON.stringify({ name: "x", humans: "people", from: ["sims"], n: 4, annotators: 1 }) });
      link = ((await res.json()) as { links: { url: string }[] }).links[0]!.url;
      const pages = ["/", "/runs/run-sim", "/runs/run-per", "/episodes/run-sim-e1", `/programs/${ids.programB}`, "/personas", "/personas/run-per/0/0", "/sets/people", "/sets/people/human-conv-0", "/llm", "/llm/1", "/llm/2", "/reports", "/reports/1"];
      for (const path of pages) {
        const page = await open(server.url + path);
        await page.waitForLoadState("load");
        await Bun.sleep(50);
        for (const a of await page.locator("a").all()) expect((await a.getAttribute("href")) ?? "").not.toMatch(/^\s*javascript:/i);
        expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
        await page.close();
      }
      for (let position = 1; position <= 4; position++) {
        const page = await open(`${link}/${position}`);
        expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
        if (position === 1) await page.screenshot({ path: join(ARTIFACTS, "xss-annotator.png"), fullPage: true });
        await page.close();
      }
    } finally {
      await server.stop();
    }
  }, 90_000);
});
