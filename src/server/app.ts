/**
 * The web app: composition and the security layer every response passes through.
 * - Every response: a strict Content-Security-Policy (scripts and styles only from /static, no inline),
 *   no-store caching without validators (no ETag / Last-Modified), nosniff, no referrer, no framing.
 * - A loopback bind answers only to loopback Host names (DNS rebinding); reads are open there. On any
 *   other bind every page needs the admin token (cookie set from the printed ?token= link, or Bearer).
 * - Study pages and every write need the admin token; writes also need its CSRF token and this origin.
 *   Annotator routes (/s/…, /api/study/…) are authorised by their own link token and its CSRF token.
 * - Static files come from the embedded list only (assets.ts): no path reaches the file system.
 */
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { describeError, PpolError } from "../errors.ts";
import { webAsset } from "./assets.ts";
import { eventsApi } from "./api/events.ts";
import { readApi } from "./api/read.ts";
import { studyApi } from "./api/study.ts";
import type { AppEnv, ServerDeps } from "./context.ts";
import { adminCredential, requireCsrf } from "./guard.ts";
import { browseRoutes } from "./pages/routes.tsx";
import { studyRoutes } from "./pages/study-routes.tsx";
import { csrfToken, hostnameOf, isLoopbackHost, sameSecret } from "./security.ts";

export const ADMIN_COOKIE = "ppol_admin";

const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

const isAnnotatorPath = (p: string) => p.startsWith("/s/") || p.startsWith("/api/study/");
const isAdminPath = (p: string) => p === "/studies" || p.startsWith("/studies/") || p.startsWith("/api/studies") || p === "/api/csrf";

export function createApp(deps: ServerDeps) {
  const app = new Hono<AppEnv>();
  const { security } = deps;

  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    c.res.headers.delete("ETag");
    c.res.headers.delete("Last-Modified");
  });

  app.use("*", async (c, next) => {
    if (security.loopback && !isLoopbackHost(hostnameOf(c.req.header("host")))) return c.text("this server answers only to loopback host names", 403);
    const path = c.req.path;
    if (path.startsWith("/static/")) return next();
    const urlToken = c.req.query("token");
    if (urlToken !== undefined && c.req.method === "GET") {
      if (!sameSecret(urlToken, security.adminToken)) return c.text("wrong token", 403);
      setCookie(c, ADMIN_COOKIE, urlToken, { httpOnly: true, sameSite: "Strict", path: "/" });
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const bearer = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const admin = sameSecret(bearer ?? getCookie(c, ADMIN_COOKIE), security.adminToken);
    c.set("admin", admin);
    if (isAnnotatorPath(path)) return next();
    const write = c.req.method !== "GET" && c.req.method !== "HEAD";
    if (!admin && (write || isAdminPath(path))) return c.json({ error: "needs the admin token (open the link ppol serve printed)" }, 403);
    if (!admin && !security.loopback) return c.text("open the link ppol serve printed (it carries the access token)", 401);
    if (write) {
      const denied = await requireCsrf(c, adminCredential(security.adminToken));
      if (denied) return denied;
    }
    return next();
  });

  app.get("/static/:name", async (c) => {
    const asset = await webAsset(c.req.param("name"));
    return asset ? c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { "Content-Type": asset.type }) : c.text("not found", 404);
  });
  app.get("/api/csrf", (c) => c.json({ csrf: csrfToken(security.secret, adminCredential(security.adminToken)) }));
  app.route("/api", readApi());
  app.route("/api", eventsApi());
  app.route("/api", studyApi());
  app.route("/", studyRoutes());
  app.route("/", browseRoutes());

  app.notFound((c) => (c.req.path.startsWith("/api/") ? c.json({ error: "not found" }, 404) : c.text("not found", 404)));
  app.onError((error, c) => {
    const status = error instanceof PpolError && error.exitCode === 2 ? 400 : 500;
    const message = status === 400 ? describeError(error) : "internal error (see the server's log)";
    if (status === 500) console.error(`ppol serve: ${c.req.method} ${c.req.path}: ${describeError(error)}`);
    return c.req.path.startsWith("/api/") ? c.json({ error: message }, status) : c.text(message, status);
  });
  return app;
}

