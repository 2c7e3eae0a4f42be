/** @jsxImportSource hono/jsx */
/** HTML routes for browsing the archive: each parses its parameters, runs one query, renders one page. */
import { Hono } from "hono";
import { z } from "zod";
import { Conversation, userTurns } from "../../model/index.ts";
import { episodeToConversation } from "../../conversations/index.ts";
import { fingerprint } from "../../fitness/index.ts";
import { recordedRequest } from "../../llm/index.ts";
import {
  conversationSetsPage, episodesPage, getConversationSet, getEpisode, getLlmCall, getPersona, getProgram, getRun, getScoreResultJson, getSetConversationJson,
  evolvedProgram, listArtifacts, llmCallsPage, personasPage, personaTaskOutcomes, previousProgram, programsPage, programTasks, runsPage, scoresPage, setConversationsPage,
} from "../../store/index.ts";
import { type AppEnv, cachedRunNumbers, type Ctx, humanMean } from "../context.ts";
import { BenchmarkPage, type StoredReport } from "./benchmark.tsx";
import { EvolveDashboard } from "./dashboard.tsx";
import { EpisodePage } from "./episode.tsx";
import { NotFound } from "./layout.tsx";
import { LlmCallPage, LlmCallsPage } from "./llm.tsx";
import { PersonaPage, PersonasPage } from "./personas.tsx";
import { ProgramPage, ProgramsPage } from "./programs.tsx";
import { ReportPage, ScorePage } from "./report.tsx";
import { RunPage, RunsPage } from "./runs.tsx";
import { ConversationPage, SetPage, SetsPage } from "./sets.tsx";

/** Render a page with its doctype; `status` for not-found pages. */
export async function page(c: Ctx, node: unknown, status: 200 | 400 | 403 | 404 = 200) {
  const html = await (node as { toString(): string | Promise<string> }).toString();
  return c.html(`<!doctype html>${html}`, status);
}

const notFound = (c: Ctx, what: string) => page(c, <NotFound what={what} />, 404);

/** Optional whole-number query parameter (a bad one reads as absent rather than failing the page). */
const qInt = (c: Ctx, name: string, fallback: number) => {
  const r = z.coerce.number().int().min(-1).safeParse(c.req.query(name));
  return r.success ? r.data : fallback;
};
const qStr = (c: Ctx, name: string) => c.req.query(name) || undefined;

export function browseRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const [kind, status, all] = [qStr(c, "kind"), qStr(c, "status"), qStr(c, "all") === "1"];
    return page(c, <RunsPage page={runsPage(c.var.deps.read, { kind, status, all, offset: Math.max(0, qInt(c, "offset", 0)) })} kind={kind} status={status} />);
  });
  app.get("/runs/:id", (c) => {
    const { read, evolveDashboard } = c.var.deps;
    const run = getRun(read, c.req.param("id"));
    if (!run) return notFound(c, "no such run");
    const dash = run.kind === "evolve" ? evolveDashboard?.(read, run.id) : undefined;
    if (dash) return page(c, <EvolveDashboard data={dash} />);
    if (run.kind === "benchmark") {
      const artifacts = listArtifacts(read, run.id);
      const json = artifacts.find((a) => a.name === "report.json")?.body;
      const images = artifacts.filter((a) => a.content_type === "image/svg+xml").map((a) => a.name);
      return page(c, <BenchmarkPage run={run} report={json ? (JSON.parse(json) as StoredReport) : null} images={images} files={artifacts.map((a) => a.name)} />);
    }
    const after = qInt(c, "after", -1);
    const personaTasks = run.kind === "personas" ? personaTaskOutcomes(read, run.id) : undefined;
    return page(c, <RunPage run={run} numbers={cachedRunNumbers(read, run.id)} episodes={episodesPage(read, run.id, after)} personaTasks={personaTasks} />);
  });
  app.get("/runs/:id/artifacts/:name", (c) => {
    const artifact = listArtifacts(c.var.deps.read, c.req.param("id")).find((a) => a.name === c.req.param("name"));
    if (!artifact) return notFound(c, "no such file");
    // SVG plots are shown as images; everything else is offered as plain text, never rendered as HTML.
    const type = artifact.content_type === "image/svg+xml" ? "image/svg+xml" : "text/plain; charset=utf-8";
    return c.body(artifact.body, 200, { "Content-Type": type });
  });
  app.get("/episodes/:id", (c) => {
    const { read } = c.var.deps;
    const episode = getEpisode(read, c.req.param("id"));
    if (!episode) return notFound(c, "no such episode");
    const sets = conversationSetsPage(read, "human");
    const humanSets = sets.map((s) => s.name);
    const wanted = qStr(c, "human");
    // Beside the set asked for, else one of the episode's domain, else the first.
    const set = wanted && humanSets.includes(wanted) ? wanted : (sets.find((s) => s.domain === episode.domain)?.name ?? humanSets[0]);
    const mean = set ? humanMean(read, set) : undefined;
    const features = fingerprint(userTurns(episodeToConversation(episode)));
    return page(c, <EpisodePage episode={episode} features={features} human={set && mean ? { set, mean } : undefined} humanSets={humanSets} />);
  });
  app.get("/programs", (c) => page(c, <ProgramsPage page={programsPage(c.var.deps.read, Math.max(0, qInt(c, "offset", 0)))} />));
  app.get("/programs/:sha", (c) => {
    const { read } = c.var.deps;
    const program = getProgram(read, c.req.param("sha"));
    if (!program) return notFound(c, "no such program");
    const evolved = evolvedProgram(read, program.sha256);
    // An evolved program is compared with its parent by default; any other with the program stored before it.
    const againstSha = qStr(c, "against") ?? evolved?.lineage[0]?.code_sha ?? previousProgram(read, program);
    const against = againstSha ? getProgram(read, againstSha) : undefined;
    if (qStr(c, "against") && !against) return notFound(c, "no program to compare with by that sha256");
    return page(c, <ProgramPage program={program} against={against} tasks={programTasks(read, program.sha256)} evolved={evolved} />);
  });
  app.get("/personas", (c) => {
    const runId = qStr(c, "run");
    return page(c, <PersonasPage page={personasPage(c.var.deps.read, { runId, offset: Math.max(0, qInt(c, "offset", 0)) })} runId={runId} />);
  });
  app.get("/personas/:run/:task/:idx", (c) => {
    const idx = Number(c.req.param("idx"));
    const persona = Number.isInteger(idx) ? getPersona(c.var.deps.read, c.req.param("run"), c.req.param("task"), idx) : undefined;
    return persona ? page(c, <PersonaPage persona={persona} />) : notFound(c, "no such persona");
  });
  app.get("/sets", (c) => page(c, <SetsPage sets={conversationSetsPage(c.var.deps.read)} />));
  app.get("/sets/:name", (c) => {
    const set = getConversationSet(c.var.deps.read, c.req.param("name"));
    if (!set) return notFound(c, "no such set");
    return page(c, <SetPage set={set} page={setConversationsPage(c.var.deps.read, set.name, qInt(c, "after", -1))} />);
  });
  app.get("/sets/:name/:id", (c) => {
    const json = getSetConversationJson(c.var.deps.read, c.req.param("name"), c.req.param("id"));
    if (!json) return notFound(c, "no such conversation");
    return page(c, <ConversationPage set={c.req.param("name")} conversation={Conversation.parse(JSON.parse(json))} />);
  });
  app.get("/llm", (c) => {
    const [runId, status] = [qStr(c, "run"), qStr(c, "status")];
    const st = status === "ok" || status === "error" ? status : undefined;
    return page(c, <LlmCallsPage page={llmCallsPage(c.var.deps.read, { runId, status: st, after: Math.max(0, qInt(c, "after", 0)) })} runId={runId} status={st} />);
  });
  app.get("/llm/:id", (c) => {
    const { read } = c.var.deps;
    const id = Number(c.req.param("id"));
    const call = Number.isInteger(id) ? getLlmCall(read, id) : undefined;
    if (!call) return notFound(c, "no such LLM call");
    let request;
    try {
      request = recordedRequest(read, call.request_hash);
    } catch {
      request = undefined; // a blob missing from a partial archive: show the call without its request
    }
    return page(c, <LlmCallPage call={call} request={request} />);
  });
  app.get("/reports", (c) => {
    const offset = Math.max(0, qInt(c, "offset", 0));
    return page(c, <ReportPage page={scoresPage(c.var.deps.read, offset)} offset={offset} />);
  });
  app.get("/reports/:id", (c) => {
    const id = Number(c.req.param("id"));
    const json = Number.isInteger(id) ? getScoreResultJson(c.var.deps.read, id) : undefined;
    return json ? page(c, <ScorePage id={id} resultJson={json} />) : notFound(c, "no such score");
  });
  return app;
}
