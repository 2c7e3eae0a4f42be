/** @jsxImportSource hono/jsx */
/** Runs list (filter by kind and status) and the page of one run. */
import type { RunNumbers, RunRow, EpisodeListRow, Page } from "../../store/index.ts";
import { fmt, int, Layout, NextLink, path, pct } from "./layout.tsx";

const STATUSES = ["running", "done", "failed", "interrupted"];

export function RunsPage(props: { page: Page<RunRow> & { kinds: string[] }; kind?: string; status?: string }) {
  const { page } = props;
  return (
    <Layout title="runs">
      <form method="get" action="/" class="filters">
        <label>
          kind{" "}
          <select name="kind">
            <option value="">all</option>
            {page.kinds.map((k) => (
              <option value={k} selected={k === props.kind}>
                {k}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          status{" "}
          <select name="status">
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option value={s} selected={s === props.status}>
                {s}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">filter</button>
      </form>
      {page.items.length ? (
        <table>
          <thead>
            <tr><th>run</th><th>kind</th><th>status</th><th>started</th><th>updated</th></tr>
          </thead>
          <tbody>
            {page.items.map((r) => (
              <tr>
                <td><a href={path("runs", r.id)}>{r.id}</a></td>
                <td>{r.kind}</td>
                <td class={`status-${r.status}`}>{r.status}</td>
                <td>{r.created_at}</td>
                <td>{r.updated_at}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No runs{props.kind || props.status ? " match this filter" : " yet: start one with ppol simulate or ppol personas"}.</p>
      )}
      {page.next !== undefined ? <NextLink base="/" params={{ kind: props.kind, status: props.status, offset: page.next }} /> : null}
    </Layout>
  );
}

export function EpisodeRows(props: { items: EpisodeListRow[] }) {
  return (
    <tbody id="episode-rows">
      {props.items.map((e) => (
        <tr>
          <td><a href={path("episodes", e.id)}>{e.ordinal}</a></td>
          <td>{e.task_id}</td>
          <td>{e.persona_key || "(base)"}</td>
          <td>{e.termination}</td>
          <td>{fmt(e.reward, 2)}</td>
          <td>{e.user_turns}</td>
          <td>{e.fidelity_flags}</td>
          <td>{int(e.prompt_tokens + e.completion_tokens)}</td>
        </tr>
      ))}
    </tbody>
  );
}

/** The live numbers block: app.js replaces each [data-field] from the run's SSE stream. */
export function RunNumbersBlock(props: { runId: string; status: string; numbers: RunNumbers }) {
  const n = props.numbers;
  const field = (name: string, value: string) => <dd data-field={name}>{value}</dd>;
  return (
    <section id="live" data-run={props.runId} data-status={props.status}>
      <dl class="numbers">
        <dt>status</dt>{field("status", props.status)}
        <dt>episodes</dt>{field("episodes", int(n.episodes))}
        <dt>pass rate</dt>{field("pass", n.scored ? pct(n.passed / n.scored) : "–")}
        <dt>mean reward</dt>{field("meanReward", fmt(n.meanReward))}
        <dt>not evaluated / failed</dt>{field("unevaluated", `${int(n.notEvaluated)} / ${int(n.evaluationFailed)}`)}
        <dt>fidelity flags</dt>{field("fidelityFlags", int(n.fidelityFlags))}
        <dt>LLM calls</dt>{field("llmCalls", int(n.llmCalls))}
        <dt>tokens</dt>{field("tokens", int(n.promptTokens + n.completionTokens))}
      </dl>
      <p class="terminations" data-field="terminations">{Object.entries(n.terminations).map(([k, v]) => `${k} ${v}`).join(" · ")}</p>
    </section>
  );
}

export function RunPage(props: { run: RunRow; numbers: RunNumbers; episodes: Page<EpisodeListRow>; personaTasks?: { task_id: string; ok: number; error: string | null }[] }) {
  const { run, episodes } = props;
  return (
    <Layout title={`run ${run.id}`} charts>
      <p>
        {run.kind} · started {run.created_at} · seed {run.seed ?? "–"} · ppol {run.ppol_version} · <a href={`/llm?run=${encodeURIComponent(run.id)}`}>LLM calls</a>
        {run.kind === "personas" ? <> · <a href={`/personas?run=${encodeURIComponent(run.id)}`}>personas</a></> : null}
        {run.parent_id ? <> · made by <a href={`/runs/${encodeURIComponent(run.parent_id)}`}>{run.parent_id}</a></> : null}
      </p>
      <RunNumbersBlock runId={run.id} status={run.status} numbers={props.numbers} />
      {props.numbers.episodes || run.status === "running" ? <div class="chart" id="run-chart" data-src={`/api/runs/${encodeURIComponent(run.id)}`} data-chart="run-curve"></div> : null}
      {props.personaTasks?.length ? (
        <>
          <h2>tasks</h2>
          <table>
            <thead><tr><th>task</th><th>ok</th><th>error</th></tr></thead>
            <tbody>
              {props.personaTasks.map((t) => (
                <tr><td>{t.task_id}</td><td>{t.ok ? "yes" : "no"}</td><td>{t.error ?? ""}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h2>episodes</h2>
      <table>
        <thead>
          <tr><th>#</th><th>task</th><th>persona</th><th>termination</th><th>reward</th><th>user turns</th><th>flags</th><th>tokens</th></tr>
        </thead>
        <EpisodeRows items={episodes.items} />
      </table>
      {episodes.next !== undefined ? <NextLink base={path("runs", run.id)} params={{ after: episodes.next }} /> : null}
      <details>
        <summary>configuration</summary>
        <pre>{prettyJson(run.config_json)}</pre>
      </details>
    </Layout>
  );
}

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
