/** @jsxImportSource hono/jsx */
/** Study HTML routes: admin pages (list, create form, results) and the annotator's pages (plain forms, no script). */
import { Hono } from "hono";
import { z } from "zod";
import { describeError, PpolError } from "../../errors.ts";
import { conversationSetsPage, getStudy, listStudies, runsPage, studyAnnotatorLinks } from "../../store/index.ts";
import { type AppEnv, type Ctx, linkFor, requestBase } from "../context.ts";
import { adminCredential, annotatorCredential, requireCsrf } from "../guard.ts";
import { csrfToken } from "../security.ts";
import { AnswerInput, annotatorView, createStudy, itemAt, recordAnswer, resultsOf } from "../study/index.ts";
import { NotFound } from "./layout.tsx";
import { page } from "./routes.tsx";
import { AnnotatorDonePage, AnnotatorPage, StudiesPage, StudyPage } from "./study.tsx";

function studiesPage(c: Ctx, error?: string) {
  const { read, security } = c.var.deps;
  return page(
    c,
    <StudiesPage
      studies={listStudies(read)}
      humanSets={conversationSetsPage(read, "human")}
      sources={{ runs: runsPage(read, { kind: "simulate", all: true }, 200).items, sets: conversationSetsPage(read, "simulator") }}
      csrf={csrfToken(security.secret, adminCredential(security.adminToken))}
      error={error}
    />,
    error ? 400 : 200,
  );
}

const FormNumber = z.coerce.number().int();

export function studyRoutes() {
  const app = new Hono<AppEnv>();
  // Admin pages: app.ts requires the admin token for /studies* and CSRF for every write.
  app.get("/studies", (c) => studiesPage(c));
  app.post("/studies", async (c) => {
    const { write, now, token } = c.var.deps;
    const form = await c.req.parseBody({ all: true });
    const from = ([] as unknown[]).concat(form.from ?? []).filter((x): x is string => typeof x === "string");
    try {
      const made = createStudy(
        write,
        { name: String(form.name ?? ""), humans: String(form.humans ?? ""), from, n: FormNumber.catch(87).parse(form.n), annotators: FormNumber.catch(16).parse(form.annotators), seed: c.var.deps.seed() },
        { now: now(), token },
      );
      return c.redirect(`/studies/${encodeURIComponent(made.name)}`, 303);
    } catch (error) {
      if (error instanceof PpolError) return studiesPage(c, describeError(error));
      throw error;
    }
  });
  app.get("/studies/:name", (c) => {
    const { read } = c.var.deps;
    const study = getStudy(read, c.req.param("name"));
    if (!study) return page(c, <NotFound what="no such study" />, 404);
    const links = studyAnnotatorLinks(read, study.name).map((l) => ({ annotator: l.annotator, url: linkFor(requestBase(c), l.token) }));
    return page(c, <StudyPage study={study} results={resultsOf(read, study.name)} links={links} />);
  });

  // Annotator pages: the link token is the credential; unknown tokens look like any missing page.
  app.get("/s/:token", (c) => {
    const token = c.req.param("token");
    const view = annotatorView(c.var.deps.read, token);
    if (!view) return page(c, <NotFound what="This link is not valid." />, 404);
    const next = view.answered.indexOf(false);
    if (next < 0) return page(c, <AnnotatorDonePage token={token} answered={view.answered} />);
    return c.redirect(`/s/${token}/${next + 1}`, 303);
  });
  app.get("/s/:token/:position", (c) => {
    const { read, security } = c.var.deps;
    const token = c.req.param("token");
    const view = annotatorView(read, token);
    const position = Number(c.req.param("position"));
    const at = view && Number.isInteger(position) ? itemAt(read, view, position) : undefined;
    if (!view || !at) return page(c, <NotFound what="This link is not valid." />, 404);
    return page(
      c,
      <AnnotatorPage token={token} position={position} total={view.answered.length} answered={view.answered} messages={at.messages} previous={view.answers.get(at.item)} csrf={csrfToken(security.secret, annotatorCredential(token))} />,
    );
  });
  app.post("/s/:token/:position", async (c) => {
    const { write, now } = c.var.deps;
    const token = c.req.param("token");
    const view = annotatorView(write, token);
    if (!view) return c.json({ error: "unknown link" }, 403);
    const denied = await requireCsrf(c, annotatorCredential(token));
    if (denied) return denied;
    const position = Number(c.req.param("position"));
    const parsed = AnswerInput.safeParse(await c.req.parseBody());
    if (!parsed.success || !Number.isInteger(position)) return c.json({ error: "answer needs judgment (human|simulator) and confidence 1–5" }, 400);
    recordAnswer(write, view, position, parsed.data, now());
    return c.redirect(`/s/${token}`, 303);
  });
  return app;
}
