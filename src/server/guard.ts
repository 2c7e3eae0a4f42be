/** The write guard: a state-changing request must come from this origin and carry its credential's CSRF token. */
import type { Ctx } from "./context.ts";
import { csrfToken, sameSecret } from "./security.ts";

export const adminCredential = (adminToken: string) => `admin:${adminToken}`;
export const annotatorCredential = (linkToken: string) => `annotator:${linkToken}`;

/** 403 unless the CSRF token (X-CSRF-Token header, or `csrf` form field) matches `credential`; undefined when it does. */
export async function requireCsrf(c: Ctx, credential: string): Promise<Response | undefined> {
  const origin = c.req.header("origin");
  if (origin && origin !== "null") {
    let host = "";
    try {
      host = new URL(origin).host;
    } catch {
      host = "";
    }
    if (host !== c.req.header("host")) return c.json({ error: "cross-origin request refused" }, 403);
  }
  let given = c.req.header("x-csrf-token");
  if (given === undefined && (c.req.header("content-type") ?? "").match(/^(application\/x-www-form-urlencoded|multipart\/form-data)/)) {
    const field = (await c.req.parseBody())["csrf"];
    given = typeof field === "string" ? field : undefined;
  }
  return sameSecret(given, csrfToken(c.var.deps.security.secret, credential)) ? undefined : c.json({ error: "missing or wrong CSRF token" }, 403);
}
