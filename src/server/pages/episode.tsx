/** @jsxImportSource hono/jsx */
/** The episode viewer: transcript with tool calls and results, reward components, fingerprint, fidelity flags. */
import type { Features } from "../../fitness/index.ts";
import type { EpisodeRecord } from "../../store/index.ts";
import { fmt, Layout, path } from "./layout.tsx";

export interface EpisodeView {
  episode: EpisodeRecord;
  features: Features;
  /** The human reference the fingerprint is shown beside (mean over its conversations). */
  human?: { set: string; mean: Features };
  humanSets: string[];
}

export function Transcript(props: { messages: EpisodeRecord["messages"] }) {
  return (
    <ol class="transcript">
      {props.messages.map((m) =>
        m.role === "tool" ? (
          <li class={m.error ? "msg tool error" : "msg tool"}>
            <span class="who">tool {m.name}{m.error ? " (error)" : ""}</span>
            <pre>{m.content}</pre>
          </li>
        ) : (
          <li class={`msg ${m.role}`}>
            <span class="who">{m.role === "user" ? "user" : "agent"}</span>
            {m.content ? <div class="text">{m.content}</div> : null}
            {m.role === "assistant" && m.toolCalls?.length ? (
              <ul class="calls">
                {m.toolCalls.map((c) => (
                  <li><code>{c.name}</code> <code>{JSON.stringify(c.arguments)}</code></li>
                ))}
              </ul>
            ) : null}
          </li>
        ),
      )}
    </ol>
  );
}

export function EpisodePage(props: EpisodeView) {
  const e = props.episode;
  const names = Object.keys(props.features) as (keyof Features)[];
  return (
    <Layout title={`episode ${e.ordinal} of run ${e.run_id}`}>
      <p>
        run <a href={path("runs", e.run_id)}>{e.run_id}</a> · task {e.task_id} · trial {e.trial} · {e.termination} · reward {fmt(e.reward, 2)} · {e.steps} steps ·{" "}
        {e.tool_errors} tool errors · agent {e.agent_model ?? "–"} · user {e.user_model ?? "–"}
      </p>
      {e.error ? <p class="error">{e.error}</p> : null}
      {e.persona_text ? (
        <details>
          <summary>persona {e.persona_key}</summary>
          <div class="text">{e.persona_text}</div>
        </details>
      ) : null}
      <div class="columns">
        <section>
          <h2>transcript</h2>
          <Transcript messages={e.messages} />
        </section>
        <aside>
          <h2>reward</h2>
          <table>
            <tbody>
              {Object.entries(e.reward_info).map(([k, v]) => (
                <tr><th>{k}</th><td><code>{typeof v === "string" ? v : JSON.stringify(v)}</code></td></tr>
              ))}
            </tbody>
          </table>
          <h2>fidelity flags</h2>
          {e.fidelity.length ? (
            <ul>{e.fidelity.map((f) => <li>turn {f.turn}: {f.kind} — {f.evidence}</li>)}</ul>
          ) : (
            <p>none</p>
          )}
          <h2>fingerprint</h2>
          <form method="get" class="filters">
            <label>
              beside{" "}
              <select name="human">
                {props.humanSets.map((s) => <option value={s} selected={s === props.human?.set}>{s}</option>)}
              </select>
            </label>{" "}
            <button type="submit">show</button>
          </form>
          <table>
            <thead><tr><th>feature</th><th>episode</th><th>{props.human ? `${props.human.set} mean` : "human mean"}</th></tr></thead>
            <tbody>
              {names.map((k) => (
                <tr><td>{k}</td><td>{fmt(props.features[k])}</td><td>{props.human ? fmt(props.human.mean[k]) : "–"}</td></tr>
              ))}
            </tbody>
          </table>
        </aside>
      </div>
    </Layout>
  );
}
