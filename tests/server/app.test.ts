import { afterAll, describe, expect, test } from "bun:test";
import { csrfToken } from "../../src/server/index.ts";
import { getMeta, insertEpisode, openStore, setRunStatus } from "../../src/store/index.ts";
import { episodeRecord, XSS, XSS_CORPUS } from "../support/seed-archive.ts";
import { ADMIN, rawGet, servedArchive, tags } from "./_server.ts";

const { server, ids, db } = servedArchive({ payload: XSS });
afterAll(() => server.stop());
const get = (path: string, init: RequestInit = {}) => fetch(server.url + path, { redirect: "manual", ...init });
const adminHeaders = () => ({ authorization: `Bearer ${ADMIN}` });
const csrf = () => {
  const store = openStore(db);
  const secret = getMeta(store, "server_csrf_secret")!;
  store.close();
  return csrfToken(secret, `admin:${ADMIN}`);
};

const PAGES = () => [
  "/", "/?kind=simulate&status=done", "/runs/run-sim", "/runs/run-per", "/episodes/run-sim-e1", "/episodes/run-sim-e0?human=people", "/programs", `/programs/${ids.programB}`,
  `/programs/${ids.programB}?against=${ids.programA}`, "/personas", "/personas?run=run-per", "/personas/run-per/0/1", "/sets", "/sets/people", "/sets/people/human-conv-1", "/sets/sims/sim-conv-2",
  "/llm", "/llm?run=run-sim&status=error", "/llm/1", "/llm/2", "/reports", "/reports/1", "/runs/run-bench",
];
const ALLOWED_TAGS = new Set("html head meta title link body nav a main h1 h2 p form label select option button table thead tbody tr th td section dl dt dd div details summary pre ol ul li span code aside input fieldset legend textarea caption script img h3".split(" "));

describe("pages", () => {
  test("every page renders, and the XSS corpus in LLM answers, personas, conversations and code stays inert text", async () => {
    for (const path of PAGES()) {
      const res = await get(path);
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
      const html = await res.text();
      expect(html.startsWith("<!doctype html>")).toBe(true);
      for (const t of tags(html)) {
        expect(`${path}: <${t.name}>`).toBe(ALLOWED_TAGS.has(t.name) ? `${path}: <${t.name}>` : `${path}: (not allowed)`);
        expect(/\son[a-z]+\s*=/i.test(t.attrs)).toBe(false);
        expect(/(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(t.attrs)).toBe(false);
        if (t.name === "script") expect(t.attrs).toMatch(/^ src="\/static\/[A-Za-z.]+\.js"$/);
      }
      expect(html).not.toContain("<script>window.__xss");
    }
    // The payload is shown (escaped), not dropped: the pages would pass trivially otherwise.
    expect(await (await get("/episodes/run-sim-e1")).text()).toContain("&lt;script&gt;window.__xss=1&lt;/script&gt;");
    expect(XSS_CORPUS.length).toBeGreaterThan(8);
  });

  test("an evolved program's page shows its run, metrics, reflection and lineage, and diffs against its parent", async () => {
    const html = await (await get(`/programs/${ids.programB}`)).text();
    expect(html).toContain("<h2>evolution</h2>");
    expect(html).toContain('run <a href="/runs/run-evo">run-evo</a> · g1-s0-a0 · island 0 · generation 1 · evaluated');
    expect(html).toContain("train: score 0.600 · hl 0.500 · cov 0.700");
    expect(html).toContain(`lineage to the seed: <a href="/programs/${ids.programA}"><code>g0-seed</code></a>`);
    expect(html).toContain("users were too polite &lt;script&gt;window.__xss=1&lt;/script&gt;");
    expect(html).toContain(`against <a href="/programs/${ids.programA}">`);
    expect(await (await get(`/programs/${ids.programA}`)).text()).toContain("lineage to the seed: this is the seed");
  });

  test("a benchmark run shows its stored Table 1 and plots; stored files are served as images or plain text", async () => {
    const html = await (await get("/runs/run-bench")).text();
    expect(html).toContain("<td>0.250 [0.150, 0.350]</td>");
    expect(html).toContain('<img class="plot" src="/runs/run-bench/artifacts/features.svg"');
    const svg = await get("/runs/run-bench/artifacts/features.svg");
    expect(svg.headers.get("content-type")).toBe("image/svg+xml");
    expect(await svg.text()).toStartWith("<svg");
    const json = await get("/runs/run-bench/artifacts/report.json");
    expect(json.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect((await get("/runs/run-bench/artifacts/..%2F..%2Fetc%2Fpasswd")).status).toBe(404);
  });

  test("security headers on every answer: CSP without inline script, no-store, no validators", async () => {
    for (const path of ["/", "/runs/run-sim", "/static/app.js", "/api/runs", "/nope", "/studies"]) {
      const res = await get(path);
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self';");
      expect(res.headers.get("content-security-policy")).not.toContain("unsafe-inline");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("etag")).toBeNull();
      expect(res.headers.get("last-modified")).toBeNull();
    }
  });

  test("a program page colours code and diffs against the program chosen", async () => {
    const html = await (await get(`/programs/${ids.programB}?against=${ids.programA}`)).text();
    expect(html).toContain('<span class="tok-keyword">def</span>');
    expect(html).toContain('<span class="diff-add">+     # over-generate, then prune\n</span>');
    expect(html).toContain('<span class="diff-del">- # generator A\n</span>');
  });

  test("lists page with a next link; unknown ids are 404", async () => {
    const store = openStore(db);
    for (let i = 10; i < 130; i++) insertEpisode(store, episodeRecord("run-sim", i));
    store.close();
    const html = await (await get("/runs/run-sim")).text();
    expect(html.match(/<tr><td><a href="\/episodes\//g)!.length).toBe(50);
    expect(html).toContain('href="/runs/run-sim?after=');
    const first = (await (await get("/api/runs/run-sim/episodes")).json()) as { items: { ordinal: number }[]; next: number };
    const second = (await (await get(`/api/runs/run-sim/episodes?after=${first.next}`)).json()) as { items: { ordinal: number }[] };
    expect(second.items[0]!.ordinal).toBe(first.items.at(-1)!.ordinal + 1);
    for (const path of ["/runs/nope", "/episodes/nope", "/programs/nope", "/sets/nope", "/llm/999", "/personas/run-per/0/9"]) expect((await get(path)).status).toBe(404);
    expect((await get("/api/runs?status=bogus")).status).toBe(400);
    expect(((await (await get("/api/runs?status=bogus")).json()) as { error: string }).error).toContain("status");
  });
});

describe("static files", () => {
  test("embedded assets are served; path traversal never reaches the file system", async () => {
    expect((await get("/static/app.js")).headers.get("content-type")).toContain("javascript");
    expect((await get("/static/uPlot.iife.min.js")).status).toBe(200);
    for (const path of ["/static/../package.json", "/static/..%2f..%2fpackage.json", "/static/%2e%2e/%2e%2e/package.json", "/static/....//....//package.json", "/static/style.css/../../../package.json", "/static/..%5c..%5cpackage.json", "/static/%2fetc%2fpasswd", "/static/constructor", "/static/__proto__"]) {
      const r = await rawGet(server.port, path);
      expect(`${path} ${r.status === 404 || r.status === 400}`).toBe(`${path} true`);
      expect(r.body).not.toContain('"name": "ppol"');
      expect(r.body).not.toContain("root:");
    }
  });
});

describe("writes need the token and the CSRF token", () => {
  const plan = JSON.stringify({ name: "w1", humans: "people", from: ["run-sim"], n: 4, annotators: 2 });
  const json = { "content-type": "application/json" };

  test("creating a study: 403 without token, without CSRF, with a wrong CSRF, or cross-origin; 201 with both", async () => {
    expect((await get("/api/studies", { method: "POST", headers: json, body: plan })).status).toBe(403);
    expect((await get("/api/studies", { method: "POST", headers: { ...json, ...adminHeaders() }, body: plan })).status).toBe(403);
    expect((await get("/api/studies", { method: "POST", headers: { ...json, ...adminHeaders(), "x-csrf-token": "0".repeat(64) }, body: plan })).status).toBe(403);
    expect((await get("/api/studies", { method: "POST", headers: { ...json, ...adminHeaders(), "x-csrf-token": csrf(), origin: "http://evil.example" }, body: plan })).status).toBe(403);
    expect((await get("/api/studies", { method: "POST", headers: { ...json, "x-csrf-token": csrf() }, body: plan })).status).toBe(403);
    expect((await get("/studies", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", cookie: `ppol_admin=${ADMIN}` }, body: "name=w2&humans=people&from=run-sim" })).status).toBe(403);
    const ok = await get("/api/studies", { method: "POST", headers: { ...json, ...adminHeaders(), "x-csrf-token": csrf() }, body: plan });
    expect(ok.status).toBe(201);
    const made = (await ok.json()) as { links: { url: string }[] };
    expect(made.links).toHaveLength(2);
    expect(made.links[0]!.url).toStartWith(`${server.url}/s/`);
    expect((await get("/api/studies", { method: "POST", headers: { ...json, ...adminHeaders(), "x-csrf-token": csrf() }, body: "{" })).status).toBe(400);
  });

  test("answering: 403 with an unknown link or without the link's CSRF token", async () => {
    const made = (await (await get("/api/studies", { method: "POST", headers: { ...json, ...adminHeaders(), "x-csrf-token": csrf() }, body: plan.replace("w1", "w3") })).json()) as { links: { url: string }[] };
    const token = made.links[0]!.url.split("/s/")[1]!;
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const body = "judgment=human&confidence=3";
    expect((await get(`/s/${"x".repeat(22)}/1`, { method: "POST", headers: form, body })).status).toBe(403);
    expect((await get(`/s/${token}/1`, { method: "POST", headers: form, body })).status).toBe(403);
    expect((await get(`/s/${token}/1`, { method: "POST", headers: form, body: `${body}&csrf=${csrf()}` })).status).toBe(403); // the admin's CSRF is not this link's
    const page = await (await get(`/s/${token}/1`)).text();
    const linkCsrf = /name="csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;
    expect((await get(`/s/${token}/1`, { method: "POST", headers: form, body: `${body}&csrf=${linkCsrf}` })).status).toBe(303);
    expect((await get(`/api/study/${token}/items/2`, { method: "POST", headers: json, body: JSON.stringify({ judgment: "simulator", confidence: 5 }) })).status).toBe(403);
    expect((await get(`/api/study/${token}/items/2`, { method: "POST", headers: { ...json, "x-csrf-token": linkCsrf }, body: JSON.stringify({ judgment: "simulator", confidence: 9 }) })).status).toBe(400);
    expect((await get(`/api/study/${token}/items/2`, { method: "POST", headers: { ...json, "x-csrf-token": linkCsrf }, body: JSON.stringify({ judgment: "simulator", confidence: 5 }) })).status).toBe(200);
    const results = (await (await get("/api/studies/w3/results", { headers: adminHeaders() })).json()) as { answers: number };
    expect(results.answers).toBe(2);
  });

  test("study pages and results need the admin token even on loopback; a foreign Host header is refused", async () => {
    expect((await get("/studies")).status).toBe(403);
    expect((await get("/api/studies/w1/results")).status).toBe(403);
    expect((await get("/studies", { headers: adminHeaders() })).status).toBe(200);
    expect((await rawGet(server.port, "/", { host: "evil.example:80" })).status).toBe(403);
    expect((await rawGet(server.port, "/", { host: `localhost:${server.port}` })).status).toBe(200);
  });

  test("the printed admin link sets an HttpOnly cookie and drops the token from the address", async () => {
    const res = await get(`/studies?token=${ADMIN}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/studies");
    expect(res.headers.get("set-cookie")).toMatch(/ppol_admin=.*HttpOnly.*SameSite=Strict/i);
    expect((await get("/?token=wrong-token")).status).toBe(403);
  });
});

describe("live updates", () => {
  test("the run's event stream sends new numbers when another process commits an episode", async () => {
    const store = openStore(db);
    setRunStatus(store, "run-sim", "running", new Date());
    const before = (store.db.query("SELECT count(*) AS n FROM episodes WHERE run_id = 'run-sim'").get() as { n: number }).n;
    const res = await get("/api/runs/run-sim/events");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const events: { status: string; numbers: { episodes: number } }[] = [];
    let buffer = "";
    const readEvent = async () => {
      while (true) {
        const at = buffer.indexOf("\n\n");
        if (at >= 0) {
          const chunk = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = chunk.split("\n").find((l) => l.startsWith("data: "));
          if (data) return events.push(JSON.parse(data.slice(6)));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += new TextDecoder().decode(value);
      }
    };
    await readEvent();
    expect(events[0]!.numbers.episodes).toBe(before);
    insertEpisode(store, episodeRecord("run-sim", 500));
    await readEvent();
    expect(events[1]!.numbers.episodes).toBe(before + 1);
    setRunStatus(store, "run-sim", "done", new Date());
    await readEvent();
    expect(events[2]!.status).toBe("done");
    expect((await reader.read()).done).toBe(true); // the stream ends with the run
    store.close();
  });
});
