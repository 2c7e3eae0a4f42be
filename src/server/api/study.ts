/**
 * Study JSON endpoints. Admin (admin token; writes also need the admin CSRF token): list, create, results.
 * Annotator (the link token; writes also need that link's CSRF token): progress, one item, one answer.
 * Annotator answers never carry anything about an item's source.
 */
import { Hono } from "hono";
import { InputError } from "../../errors.ts";
import { listStudies, studyAnnotatorLinks } from "../../store/index.ts";
import { type AppEnv, type Ctx, linkFor, requestBase } from "../context.ts";
import { csrfToken } from "../security.ts";
import { AnswerInput, annotatorView, createStudy, itemAt, recordAnswer, resultsOf, StudyPlan } from "../study/index.ts";
import { annotatorCredential, requireCsrf } from "../guard.ts";

async function jsonBody(c: Ctx): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new InputError("request body is not JSON", "send Content-Type: application/json");
  }
}

export function studyApi() {
  const api = new Hono<AppEnv>();
  // Admin endpoints: the auth middleware (app.ts) already requires the admin token and CSRF on writes.
  api.get("/studies", (c) => c.json(listStudies(c.var.deps.read)));
  api.post("/studies", async (c) => {
    const { write, now, token } = c.var.deps;
    const parsed = StudyPlan.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ error: `${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}` }, 400);
    const made = createStudy(write, parsed.data, { now: now(), token });
    return c.json({ ...made, links: made.links.map((l) => ({ annotator: l.annotator, url: linkFor(requestBase(c), l.token) })) }, 201);
  });
  api.get("/studies/:name/results", (c) => c.json(resultsOf(c.var.deps.read, c.req.param("name"))));
  api.get("/studies/:name/links", (c) => c.json(studyAnnotatorLinks(c.var.deps.read, c.req.param("name")).map((l) => ({ annotator: l.annotator, url: linkFor(requestBase(c), l.token) }))));

  // Annotator endpoints: the token in the path is the credential.
  api.get("/study/:token", (c) => {
    const { read, security } = c.var.deps;
    const view = annotatorView(read, c.req.param("token"));
    if (!view) return c.json({ error: "unknown link" }, 404);
    return c.json({ total: view.answered.length, answered: view.answered, csrf: csrfToken(security.secret, annotatorCredential(c.req.param("token"))) });
  });
  api.get("/study/:token/items/:position", (c) => {
    const { read } = c.var.deps;
    const view = annotatorView(read, c.req.param("token"));
    const position = Number(c.req.param("position"));
    const at = view && Number.isInteger(position) ? itemAt(read, view, position) : undefined;
    if (!view || !at) return c.json({ error: "unknown link or position" }, 404);
    const prev = view.answers.get(at.item);
    return c.json({ position, total: view.answered.length, messages: at.messages, answer: prev ? { judgment: prev.judgment, confidence: prev.confidence, comment: prev.comment } : null });
  });
  api.post("/study/:token/items/:position", async (c) => {
    const { write, now } = c.var.deps;
    const view = annotatorView(write, c.req.param("token"));
    if (!view) return c.json({ error: "unknown link" }, 403);
    const denied = await requireCsrf(c, annotatorCredential(c.req.param("token")));
    if (denied) return denied;
    const position = Number(c.req.param("position"));
    const parsed = AnswerInput.safeParse(await jsonBody(c));
    if (!parsed.success) return c.json({ error: `${parsed.error.issues[0]!.path.join(".")}: ${parsed.error.issues[0]!.message}` }, 400);
    recordAnswer(write, view, position, parsed.data, now());
    return c.json({ saved: true });
  });
  return api;
}
