/**
 * `ppol serve`: open the archive (read-only for pages, read-write for study answers), check the bind and
 * its token, and listen. Returns the URLs and a stop function; the CLI prints and waits.
 */
import { existsSync } from "node:fs";
import { InputError, UsageError } from "../errors.ts";
import { getMeta, openReadStore, openStore, setMeta, type Store } from "../store/index.ts";
import { createApp } from "./app.ts";
import type { ServerDeps } from "./context.ts";
import { isLoopbackHost } from "./security.ts";
import { randomToken } from "./study/index.ts";

export interface ServeOptions {
  db: string;
  host: string;
  port: number;
  /** The admin token; required for a non-loopback host. */
  token?: string;
  pollMs?: number;
  now?: () => Date;
  evolveDashboard?: ServerDeps["evolveDashboard"];
}

export interface RunningServer {
  url: string;
  /** The URL that logs the browser in as admin (sets the cookie, then drops the token from the address bar). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export const MIN_TOKEN_LENGTH = 16;

/** The CSRF key: kept in the archive so forms opened before a restart still submit. */
function serverSecret(store: Store): string {
  const known = getMeta(store, "server_csrf_secret");
  if (known) return known;
  const secret = randomToken() + randomToken();
  setMeta(store, "server_csrf_secret", secret);
  return secret;
}

export function startServer(o: ServeOptions): RunningServer {
  const loopback = isLoopbackHost(o.host.toLowerCase());
  if (!loopback && !o.token) throw new UsageError(`serve: --host ${o.host} is not loopback, so it needs --token`, "pass --token SECRET (16+ characters) or --token auto to generate one");
  if (o.token !== undefined && o.token.length < MIN_TOKEN_LENGTH) throw new UsageError(`serve: --token is shorter than ${MIN_TOKEN_LENGTH} characters`, "use a longer secret, or --token auto");
  if (o.db !== ":memory:" && !existsSync(o.db)) throw new InputError(`${o.db}: no archive here`, "point --db at an archive (runs create one), or run `ppol archive info --db PATH` to create an empty one");
  const write = openStore(o.db);
  let read: Store;
  try {
    read = openReadStore(o.db);
  } catch (error) {
    write.close();
    throw error;
  }
  const adminToken = o.token ?? randomToken();
  const now = o.now ?? (() => new Date());
  const deps: ServerDeps = {
    read,
    write,
    security: { adminToken, secret: serverSecret(write), loopback },
    now,
    pollMs: o.pollMs ?? 500,
    token: randomToken,
    seed: () => crypto.getRandomValues(new Uint32Array(1))[0]! >>> 1,
    evolveDashboard: o.evolveDashboard,
  };
  const app = createApp(deps);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ hostname: o.host, port: o.port, fetch: app.fetch, idleTimeout: 60 });
  } catch (error) {
    read.close();
    write.close();
    throw new InputError(`serve: cannot listen on ${o.host}:${o.port} (${(error as Error).message})`, "choose another --port, or stop what uses it");
  }
  const shownHost = o.host.includes(":") && !o.host.startsWith("[") ? `[${o.host}]` : o.host;
  const url = `http://${shownHost}:${server.port}`;
  return {
    url,
    adminUrl: `${url}/?token=${encodeURIComponent(adminToken)}`,
    port: server.port!,
    async stop() {
      await server.stop(true);
      read.close();
      write.close();
    },
  };
}
