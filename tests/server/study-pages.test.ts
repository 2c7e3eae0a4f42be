import { afterAll, describe, expect, test } from "bun:test";
import { createStudy } from "../../src/server/index.ts";
import { servedArchive } from "./_server.ts";

let links: string[] = [];
const { server } = servedArchive({
  seed: (store) => {
    links = createStudy(store, { name: "blind", humans: "people", from: ["run-sim", "sims"], n: 6, annotators: 2, seed: 4 }, { now: new Date(0), token: (() => { let i = 0; return () => `link-token-${String(++i).padStart(11, "0")}`; })() }).links.map((l) => l.token);
  },
});
afterAll(() => server.stop());

const HEADER_SKIP = new Set(["date", "content-length"]);
/** Every response header but the two that legitimately vary, sorted. */
function headerList(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, key) => void (HEADER_SKIP.has(key) || out.push([key, value])));
  return out.sort();
}

describe("annotator pages leak nothing about the source", () => {
  test("pages differ only in the dialogue text and the position; headers are identical", async () => {
    const [token] = links;
    const shells = new Set<string>();
    const headerSets = new Set<string>();
    for (let position = 1; position <= 6; position++) {
      const res = await fetch(`${server.url}/s/${token}/${position}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      for (const hint of ["run-sim", "people", "sims", "human-conv", "sim-conv", "retail", "task", "persona", "###STOP###", "<|think|>", "find_user_id", "data-"]) expect(html).not.toContain(hint);
      // Remove each message's text and every number (positions); what is left must be the same page.
      const shell = html
        .replace(/<div class="text">[^<]*<\/div>/g, '<div class="text"></div>')
        .replace(/<li class="msg (customer|agent)">/g, "<li>")
        .replace(/<span class="who">(customer|agent)<\/span>/g, "<span></span>")
        .replace(/(<li><span><\/span><div class="text"><\/div><\/li>)+/g, "MESSAGES")
        .replace(/\d+/g, "N")
        .replace(/class="(current|open|done)"/g, 'class="X"');
      shells.add(shell);
      headerSets.add(JSON.stringify(headerList(res.headers)));
    }
    expect(shells.size).toBe(1);
    expect(headerSets.size).toBe(1);
    expect([...shells][0]).not.toContain("<script");
  });

  test("an annotator can stop and come back: the link resumes at the first open conversation", async () => {
    const token = links[1]!;
    const page = await (await fetch(`${server.url}/s/${token}/1`)).text();
    const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(page)![1]!;
    const answer = (position: number) =>
      fetch(`${server.url}/s/${token}/${position}`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf=${csrf}&judgment=human&confidence=4&comment=${encodeURIComponent("felt real")}` });
    expect((await answer(1)).status).toBe(303);
    expect((await answer(2)).status).toBe(303);
    const resume = await fetch(`${server.url}/s/${token}`, { redirect: "manual" });
    expect(resume.headers.get("location")).toBe(`/s/${token}/3`);
    // The earlier answer is shown again for revision.
    const again = await (await fetch(`${server.url}/s/${token}/1`)).text();
    expect(again).toContain('value="human" required="" checked=""');
    expect(again).toContain(">felt real</textarea>");
    for (let p = 3; p <= 6; p++) await answer(p);
    const done = await (await fetch(`${server.url}/s/${token}`)).text();
    expect(done).toContain("You have answered all 6 conversations");
    expect((await fetch(`${server.url}/s/${token}/7`)).status).toBe(404);
  });
});
