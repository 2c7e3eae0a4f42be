/** @jsxImportSource hono/jsx */
/** The LLM call inspector: every attempt with role, model, latency, tokens and errors; one call in full. */
import type { LlmCallListRow, LlmCallRow, Page } from "../../store/index.ts";
import { fmt, Layout, NextLink, path } from "./layout.tsx";
import { prettyJson } from "./runs.tsx";

export function LlmCallsPage(props: { page: Page<LlmCallListRow>; runId?: string; status?: string }) {
  return (
    <Layout title={props.runId ? `LLM calls of run ${props.runId}` : "LLM calls"}>
      <form method="get" action="/llm" class="filters">
        <label>run <input name="run" value={props.runId ?? ""} /></label>{" "}
        <label>
          status{" "}
          <select name="status">
            <option value="">all</option>
            <option value="ok" selected={props.status === "ok"}>ok</option>
            <option value="error" selected={props.status === "error"}>error</option>
          </select>
        </label>{" "}
        <button type="submit">filter</button>
      </form>
      <table>
        <thead><tr><th>call</th><th>run</th><th>role</th><th>attempt</th><th>endpoint</th><th>model</th><th>status</th><th>latency ms</th><th>tokens in/out</th><th>error</th></tr></thead>
        <tbody>
          {props.page.items.map((c) => (
            <tr>
              <td><a href={path("llm", c.id)}>{c.id}</a></td>
              <td>{c.run_id ?? "–"}</td>
              <td>{c.role}</td>
              <td>{c.attempt}</td>
              <td>{c.endpoint}</td>
              <td>{c.model}</td>
              <td class={`status-${c.status}`}>{c.status}</td>
              <td>{fmt(c.latency_ms, 0)}</td>
              <td>{c.prompt_tokens ?? "–"}/{c.completion_tokens ?? "–"}</td>
              <td>{c.error_kind ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.page.next !== undefined ? <NextLink base="/llm" params={{ run: props.runId, status: props.status, after: props.page.next }} /> : null}
    </Layout>
  );
}

export function LlmCallPage(props: { call: LlmCallRow; request?: { role: string; sample: number; body: Record<string, unknown> } }) {
  const c = props.call;
  return (
    <Layout title={`LLM call ${c.id}`}>
      <p>
        {c.role} · attempt {c.attempt} · {c.endpoint} ({c.base_url}) · {c.model} · {c.status} · {fmt(c.latency_ms, 0)} ms · tokens {c.prompt_tokens ?? "–"} in / {c.completion_tokens ?? "–"} out
        {c.streamed ? " · streamed" : ""} · {c.created_at}
        {c.run_id ? <> · run <a href={path("runs", c.run_id)}>{c.run_id}</a></> : null}
      </p>
      {c.error ? <><h2>error ({c.error_kind})</h2><pre class="error">{c.error}</pre></> : null}
      <h2>answer</h2>
      {c.response_json ? <pre>{prettyJson(c.response_json)}</pre> : <p>none</p>}
      {c.raw_json ? <details><summary>as the server sent it</summary><pre>{prettyJson(c.raw_json)}</pre></details> : null}
      <h2>request <code>{c.request_hash.slice(0, 12)}</code></h2>
      {props.request ? <pre>{JSON.stringify(props.request, null, 2)}</pre> : <p>not stored</p>}
    </Layout>
  );
}
