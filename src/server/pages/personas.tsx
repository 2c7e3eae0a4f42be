/** @jsxImportSource hono/jsx */
/** The personas browser: every stored persona by run and task, and one persona in full. */
import type { Page, PersonaRow } from "../../store/index.ts";
import { Layout, NextLink, path } from "./layout.tsx";

function axes(json: string): [string, boolean][] {
  try {
    return Object.entries(JSON.parse(json) as Record<string, boolean>);
  } catch {
    return [];
  }
}

export function PersonasPage(props: { page: Page<PersonaRow>; runId?: string }) {
  return (
    <Layout title={props.runId ? `personas of run ${props.runId}` : "personas"}>
      {props.page.items.length ? (
        <table>
          <thead><tr><th>run</th><th>task</th><th>persona</th><th>active behaviours</th><th>description</th></tr></thead>
          <tbody>
            {props.page.items.map((p) => (
              <tr>
                <td><a href={path("runs", p.run_id)}>{p.run_id}</a></td>
                <td>{p.task_id}</td>
                <td><a href={path("personas", p.run_id, p.task_id, p.idx)}>{p.persona_id}</a></td>
                <td>{axes(p.axis_placement_json).filter(([, on]) => on).map(([k]) => k).join(", ")}</td>
                <td>{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No personas stored{props.runId ? " for this run" : ""}.</p>
      )}
      {props.page.next !== undefined ? <NextLink base="/personas" params={{ run: props.runId, offset: props.page.next }} /> : null}
    </Layout>
  );
}

export function PersonaPage(props: { persona: PersonaRow & { program_sha: string; domain: string } }) {
  const p = props.persona;
  return (
    <Layout title={`persona ${p.persona_id}`}>
      <p>
        run <a href={path("runs", p.run_id)}>{p.run_id}</a> · {p.domain} task {p.task_id} · program{" "}
        <a href={path("programs", p.program_sha)}><code>{p.program_sha.slice(0, 12)}</code></a>
      </p>
      <h2>description</h2>
      <div class="text">{p.description}</div>
      <h2>axes</h2>
      <ul>{axes(p.axis_placement_json).map(([k, on]) => <li class={on ? "on" : "off"}>{k}: {on ? "on" : "off"}</li>)}</ul>
      <h2>reasoning</h2>
      <div class="text">{p.reasoning}</div>
      <h2>roleplay instruction</h2>
      <div class="text">{p.expanded_instruction}</div>
    </Layout>
  );
}
