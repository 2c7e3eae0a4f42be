/** A served temp archive for HTTP tests: seeded, on a free loopback port, with the admin token known. */
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer, type ServeOptions } from "../../src/server/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { seedArchive } from "../support/seed-archive.ts";

export const ADMIN = "admin-token-for-tests-0123456789";

export function servedArchive(opts: { payload?: string; seed?: (store: Store) => void; serve?: Partial<ServeOptions> } = {}) {
  const db = join(mkdtempSync(join(tmpdir(), "ppol-serve-")), "a.sqlite");
  const store = openStore(db);
  const ids = seedArchive(store, { payload: opts.payload });
  opts.seed?.(store);
  store.close();
  const server: RunningServer = startServer({ db, host: "127.0.0.1", port: 0, token: ADMIN, pollMs: 50, ...opts.serve });
  return { db, server, ids };
}

/** A raw HTTP request (no URL normalisation, any Host header): for traversal and host checks. */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Tags and attributes of an HTML page, for checking that nothing active came from the archive. */
export function tags(html: string): { name: string; attrs: string }[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map((m) => ({ name: m[1]!.toLowerCase(), attrs: m[2]! }));
}
