import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PpolError } from "../../src/errors.ts";
import { createStudy, startServer } from "../../src/server/index.ts";
import { openStore } from "../../src/store/index.ts";
import { seedArchive } from "../support/seed-archive.ts";
import { runCli } from "../support/cli.ts";
import { ADMIN } from "./_server.ts";

function archive() {
  const dir = mkdtempSync(join(tmpdir(), "ppol-bind-"));
  const db = join(dir, "a.sqlite");
  const store = openStore(db);
  seedArchive(store);
  const study = createStudy(store, { name: "s", humans: "people", from: ["run-sim"], n: 4, annotators: 1, seed: 1 }, { now: new Date(0), token: () => "annotator-link-token-0001" });
  store.close();
  return { dir, db, link: study.links[0]!.token };
}

describe("binding", () => {
  test("a non-loopback host without a token refuses to start (exit 2), and so does a short token", () => {
    const { db } = archive();
    const fail = (o: Parameters<typeof startServer>[0]) => {
      try {
        startServer(o);
      } catch (error) {
        return error as PpolError;
      }
      throw new Error("started");
    };
    const noToken = fail({ db, host: "0.0.0.0", port: 0 });
    expect(noToken.exitCode).toBe(2);
    expect(noToken.message).toContain("needs --token");
    expect(fail({ db, host: "0.0.0.0", port: 0, token: "short" }).message).toContain("shorter than 16");
    expect(fail({ db: `${db}.missing`, host: "127.0.0.1", port: 0 }).message).toContain("no archive here");
  });

  test("the CLI says so in one line", async () => {
    const { dir } = archive();
    const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "0", "--db", "a.sqlite"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain("--token");
    expect((await runCli(["serve", "--port", "70000"], { cwd: dir })).code).toBe(2);
  });

  test("off loopback every page needs the token; annotator links work on their own", async () => {
    const { db, link } = archive();
    const server = startServer({ db, host: "0.0.0.0", port: 0, token: ADMIN });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/`, { redirect: "manual" })).status).toBe(401);
      expect((await fetch(`${base}/api/runs`, { redirect: "manual" })).status).toBe(401);
      expect((await fetch(`${base}/`, { headers: { cookie: `ppol_admin=${ADMIN}` } })).status).toBe(200);
      expect((await fetch(`${base}/api/runs`, { headers: { authorization: `Bearer ${ADMIN}` } })).status).toBe(200);
      const annotator = await fetch(`${base}/s/${link}/1`);
      expect(annotator.status).toBe(200);
      expect(await annotator.text()).toContain("Conversation 1 of 4");
      expect(server.adminUrl).toBe(`http://0.0.0.0:${server.port}/?token=${ADMIN}`);
    } finally {
      await server.stop();
    }
  });
});
