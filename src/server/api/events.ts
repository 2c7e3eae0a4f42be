/**
 * Live updates over Server-Sent Events: while a run is writing to the archive (another process), send
 * its numbers whenever a commit lands (PRAGMA data_version), and a comment every few seconds so idle
 * connections stay open. The stream ends when the run is no longer running, or after an hour.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { getRun } from "../../store/index.ts";
import { type AppEnv, cachedRunNumbers, dataVersion } from "../context.ts";

const MAX_MS = 3_600_000;
const KEEPALIVE_MS = 5_000;

export function eventsApi() {
  const api = new Hono<AppEnv>();
  api.get("/runs/:id/events", (c) => {
    const { read, pollMs } = c.var.deps;
    const runId = c.req.param("id");
    if (!getRun(read, runId)) return c.json({ error: "no such run" }, 404);
    return streamSSE(c, async (stream) => {
      const started = Date.now();
      let version = -1;
      let quietSince = Date.now();
      let seq = 0;
      while (!stream.aborted && Date.now() - started < MAX_MS) {
        const v = dataVersion(read);
        if (v !== version) {
          version = v;
          const run = getRun(read, runId)!;
          await stream.writeSSE({ event: "numbers", id: String(seq++), data: JSON.stringify({ status: run.status, numbers: cachedRunNumbers(read, runId) }) });
          quietSince = Date.now();
          if (run.status !== "running") break;
        } else if (Date.now() - quietSince > KEEPALIVE_MS) {
          await stream.write(": keep-alive\n\n");
          quietSince = Date.now();
        }
        await stream.sleep(pollMs);
      }
    });
  });
  return api;
}
