/** JSON read endpoints behind the pages (documented in the README). Query parameters are zod-validated. */
import { Hono } from "hono";
import { z } from "zod";
import { Conversation } from "../../model/index.ts";
import { recordedRequest } from "../../llm/index.ts";
import {
  conversationSetsPage, episodesPage, getConversationSet, getEpisode, getLlmCall, getProgram, getRun, getSetConversationJson, llmCallsPage, personasPage,
  previousProgram, programsPage, runsPage, scoresPage, setConversationsPage,
} from "../../store/index.ts";
import { type AppEnv, cachedRunNumbers, type Ctx } from "../context.ts";
import { programDiff } from "../pages/programs.tsx";

const Offset = z.object({ offset: z.coerce.number().int().min(0).default(0) });
const After = z.object({ after: z.coerce.number().int().min(-1).optional() });

/** Parse the query with a schema; a bad parameter is a 400 naming it. */
export function query<S extends z.ZodType>(c: Ctx, schema: S): z.infer<S> | Response {
  const r = schema.safeParse(c.req.query());
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  return c.json({ error: `query parameter ${issue.path.join(".")}: ${issue.message}` }, 400);
}

const missing = (c: Ctx, what: string) => c.json({ error: `no such ${what}` }, 404);

export function readApi() {
  const api = new Hono<AppEnv>();
  api.get("/runs", (c) => {
    const q = query(c, Offset.extend({ kind: z.string().min(1).optional(), status: z.enum(["running", "done", "failed", "interrupted"]).optional(), all: z.enum(["0", "1"]).transform((v) => v === "1").optional() }));
    return q instanceof Response ? q : c.json(runsPage(c.var.deps.read, q));
  });
  api.get("/runs/:id", (c) => {
    const run = getRun(c.var.deps.read, c.req.param("id"));
    return run ? c.json({ run, numbers: cachedRunNumbers(c.var.deps.read, run.id) }) : missing(c, "run");
  });
  api.get("/runs/:id/episodes", (c) => {
    const q = query(c, After);
    if (q instanceof Response) return q;
    const run = getRun(c.var.deps.read, c.req.param("id"));
    return run ? c.json(episodesPage(c.var.deps.read, run.id, q.after ?? -1)) : missing(c, "run");
  });
  api.get("/runs/:id/dashboard", (c) => {
    const { read, evolveDashboard } = c.var.deps;
    const data = evolveDashboard?.(read, c.req.param("id"));
    return data ? c.json(data) : missing(c, "evolve dashboard for this run");
  });
  api.get("/episodes/:id", (c) => {
    const e = getEpisode(c.var.deps.read, c.req.param("id"));
    return e ? c.json(e) : missing(c, "episode");
  });
  api.get("/programs", (c) => {
    const q = query(c, Offset);
    return q instanceof Response ? q : c.json(programsPage(c.var.deps.read, q.offset));
  });
  api.get("/programs/:sha", (c) => {
    const q = query(c, z.object({ against: z.string().regex(/^[0-9a-f]{64}$/).optional() }));
    if (q instanceof Response) return q;
    const { read } = c.var.deps;
    const program = getProgram(read, c.req.param("sha"));
    if (!program) return missing(c, "program");
    const againstSha = q.against ?? previousProgram(read, program);
    const against = againstSha ? getProgram(read, againstSha) : undefined;
    return c.json({ program, against: against?.sha256 ?? null, diff: against ? programDiff(against.code, program.code) : null });
  });
  api.get("/personas", (c) => {
    const q = query(c, Offset.extend({ run: z.string().min(1).optional() }));
    return q instanceof Response ? q : c.json(personasPage(c.var.deps.read, { runId: q.run, offset: q.offset }));
  });
  api.get("/sets", (c) => c.json(conversationSetsPage(c.var.deps.read)));
  api.get("/sets/:name", (c) => {
    const q = query(c, After);
    if (q instanceof Response) return q;
    const set = getConversationSet(c.var.deps.read, c.req.param("name"));
    return set ? c.json({ set, ...setConversationsPage(c.var.deps.read, set.name, q.after ?? -1) }) : missing(c, "set");
  });
  api.get("/sets/:name/:id", (c) => {
    const json = getSetConversationJson(c.var.deps.read, c.req.param("name"), c.req.param("id"));
    return json ? c.json(Conversation.parse(JSON.parse(json))) : missing(c, "conversation");
  });
  api.get("/llm-calls", (c) => {
    const q = query(c, z.object({ run: z.string().min(1).optional(), status: z.enum(["ok", "error"]).optional(), after: z.coerce.number().int().min(0).default(0) }));
    return q instanceof Response ? q : c.json(llmCallsPage(c.var.deps.read, { runId: q.run, status: q.status, after: q.after }));
  });
  api.get("/llm-calls/:id", (c) => {
    const id = Number(c.req.param("id"));
    const call = Number.isInteger(id) ? getLlmCall(c.var.deps.read, id) : undefined;
    if (!call) return missing(c, "LLM call");
    let request = null;
    try {
      request = recordedRequest(c.var.deps.read, call.request_hash) ?? null;
    } catch {
      request = null; // a blob missing from a partial archive
    }
    return c.json({ call, request });
  });
  api.get("/scores", (c) => {
    const q = query(c, Offset);
    return q instanceof Response ? q : c.json(scoresPage(c.var.deps.read, q.offset));
  });
  return api;
}
