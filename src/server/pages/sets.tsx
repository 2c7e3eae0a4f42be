/** @jsxImportSource hono/jsx */
/** Human reference sets (and imported simulator sets): the list, one set's conversations, one conversation. */
import type { Conversation } from "../../model/index.ts";
import type { ConversationSetRow, Page, SetConversationRow } from "../../store/index.ts";
import { int, Layout, NextLink, path } from "./layout.tsx";

export function SetsPage(props: { sets: ConversationSetRow[] }) {
  return (
    <Layout title="conversation sets">
      {props.sets.length ? (
        <table>
          <thead><tr><th>set</th><th>kind</th><th>format</th><th>domain</th><th>conversations</th><th>space</th><th>imported</th></tr></thead>
          <tbody>
            {props.sets.map((s) => (
              <tr><td><a href={path("sets", s.name)}>{s.name}</a></td><td>{s.kind}</td><td>{s.format}</td><td>{s.domain ?? "–"}</td><td>{int(s.n)}</td><td>{s.space}</td><td>{s.created_at}</td></tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No sets yet: ppol human import FILE --format F --name NAME.</p>
      )}
    </Layout>
  );
}

export function SetPage(props: { set: ConversationSetRow; page: Page<SetConversationRow> }) {
  const s = props.set;
  return (
    <Layout title={`${s.kind} set ${s.name}`}>
      <p>{s.format} · {int(s.n)} conversations · split rule {s.split_rule} · normalisation {s.normalization} · sha256 <code>{s.content_hash.slice(0, 12)}</code></p>
      <table>
        <thead><tr><th>#</th><th>conversation</th><th>task</th><th>domain</th><th>split</th></tr></thead>
        <tbody>
          {props.page.items.map((c) => (
            <tr><td>{c.ord}</td><td><a href={path("sets", s.name, c.id)}>{c.id}</a></td><td>{c.task_id ?? "–"}</td><td>{c.domain ?? "–"}</td><td>{c.split}</td></tr>
          ))}
        </tbody>
      </table>
      {props.page.next !== undefined ? <NextLink base={path("sets", s.name)} params={{ after: props.page.next }} /> : null}
    </Layout>
  );
}

export function ConversationPage(props: { set: string; conversation: Conversation }) {
  const c = props.conversation;
  return (
    <Layout title={`conversation ${c.id}`}>
      <p>
        set <a href={path("sets", props.set)}>{props.set}</a> · source {c.source} · {c.domain ?? "–"} task {c.task_id ?? "–"}
      </p>
      <ol class="transcript">
        {c.messages.map((m) => (
          <li class={`msg ${m.role}`}>
            <span class="who">{m.role === "assistant" ? "agent" : m.role}</span>
            <div class="text">{m.content}</div>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
