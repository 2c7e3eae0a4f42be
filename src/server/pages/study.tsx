/** @jsxImportSource hono/jsx */
/**
 * Study pages. Admin: the list with a creation form, and one study's results and annotator links.
 * Annotator: one blinded conversation at a time. An annotator page carries nothing about an item but its
 * position in the annotator's own order and the dialogue text: same markup, classes and fields for all.
 */
import type { ConversationSetRow, RunRow, ShownMessage, StudyAnswer, StudyRow } from "../../store/index.ts";
import type { StudyResults } from "../study/index.ts";
import { BareLayout, fmt, Layout, path, pct } from "./layout.tsx";

export function StudiesPage(props: { studies: (StudyRow & { items: number; annotators: number; answers: number })[]; humanSets: ConversationSetRow[]; sources: { runs: RunRow[]; sets: ConversationSetRow[] }; csrf: string; error?: string }) {
  return (
    <Layout title="blinded studies">
      {props.studies.length ? (
        <table>
          <thead><tr><th>study</th><th>human set</th><th>from</th><th>conversations</th><th>annotators</th><th>answers</th><th>created</th></tr></thead>
          <tbody>
            {props.studies.map((s) => (
              <tr>
                <td><a href={path("studies", s.name)}>{s.name}</a></td>
                <td>{s.human_set}</td>
                <td>{(JSON.parse(s.sources_json) as string[]).join(", ")}</td>
                <td>{s.items}</td>
                <td>{s.annotators}</td>
                <td>{s.answers}</td>
                <td>{s.created_at}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No studies yet.</p>
      )}
      <h2>new study</h2>
      {props.error ? <p class="error">{props.error}</p> : null}
      <form method="post" action="/studies" class="stack">
        <input type="hidden" name="csrf" value={props.csrf} />
        <label>name <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" /></label>
        <label>
          human set{" "}
          <select name="humans" required>
            {props.humanSets.map((s) => <option value={s.name}>{s.name} ({s.n})</option>)}
          </select>
        </label>
        <fieldset>
          <legend>conditions (runs or simulator sets)</legend>
          {props.sources.runs.map((r) => <label><input type="checkbox" name="from" value={r.id} /> run {r.id} ({r.kind})</label>)}
          {props.sources.sets.map((s) => <label><input type="checkbox" name="from" value={s.name} /> set {s.name}</label>)}
        </fieldset>
        <label>conversations <input name="n" type="number" min="2" value="87" /></label>
        <label>annotators <input name="annotators" type="number" min="1" value="16" /></label>
        <button type="submit">create</button>
      </form>
    </Layout>
  );
}

export function StudyPage(props: { study: StudyRow; results: StudyResults; links: { annotator: number; url: string }[] }) {
  const r = props.results;
  return (
    <Layout title={`study ${props.study.name}`}>
      <p>
        human set {props.study.human_set} · {r.items} conversations · {r.annotators} annotators · {r.answers} answers · Fleiss' κ {fmt(r.fleiss_kappa)}
      </p>
      <h2>judged human, per condition</h2>
      <table>
        <thead><tr><th>condition</th><th>conversations</th><th>judgments</th><th>judged human</th><th>95% CI</th><th>mean confidence</th></tr></thead>
        <tbody>
          {r.conditions.map((c) => (
            <tr><td>{c.condition}</td><td>{c.conversations}</td><td>{c.judgments}</td><td>{pct(c.judged_human)}</td><td>{c.ci_low === null ? "–" : `${pct(c.ci_low)} – ${pct(c.ci_high)}`}</td><td>{fmt(c.mean_confidence, 2)}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>Welch's t-tests</h2>
      <table>
        <thead><tr><th>a</th><th>b</th><th>t</th><th>df</th><th>p</th></tr></thead>
        <tbody>{r.comparisons.map((c) => <tr><td>{c.a}</td><td>{c.b}</td><td>{fmt(c.t)}</td><td>{fmt(c.df, 1)}</td><td>{c.p.toPrecision(3)}</td></tr>)}</tbody>
      </table>
      <h2>annotators</h2>
      <table>
        <thead><tr><th>annotator</th><th>answered</th><th>accuracy</th><th>link</th></tr></thead>
        <tbody>
          {r.per_annotator.map((a) => (
            <tr><td>{a.annotator}</td><td>{a.answered} / {r.items}</td><td>{pct(a.accuracy)}</td><td><code>{props.links.find((l) => l.annotator === a.annotator)?.url}</code></td></tr>
          ))}
        </tbody>
      </table>
      <p><a href={`/api/studies/${encodeURIComponent(props.study.name)}/results`}>results as JSON</a></p>
    </Layout>
  );
}

export function AnnotatorPage(props: { token: string; position: number; total: number; answered: boolean[]; messages: ShownMessage[]; previous?: StudyAnswer; csrf: string }) {
  const prev = props.previous;
  return (
    <BareLayout title={`Conversation ${props.position} of ${props.total}`}>
      <h1>Conversation {props.position} of {props.total}</h1>
      <p class="instructions">Read the conversation between a customer and a support agent. Was the customer a real person or a simulator?</p>
      <ol class="transcript">
        {props.messages.map((m) => (
          <li class={`msg ${m.speaker}`}>
            <span class="who">{m.speaker}</span>
            <div class="text">{m.text}</div>
          </li>
        ))}
      </ol>
      <form method="post" action={`/s/${props.token}/${props.position}`} class="stack answer">
        <input type="hidden" name="csrf" value={props.csrf} />
        <fieldset>
          <legend>The customer was</legend>
          <label><input type="radio" name="judgment" value="human" required checked={prev?.judgment === "human"} /> a real person</label>
          <label><input type="radio" name="judgment" value="simulator" checked={prev?.judgment === "simulator"} /> a simulator</label>
        </fieldset>
        <fieldset>
          <legend>How sure are you? (1 = guessing, 5 = certain)</legend>
          {[1, 2, 3, 4, 5].map((k) => <label><input type="radio" name="confidence" value={String(k)} required checked={prev?.confidence === k} /> {k}</label>)}
        </fieldset>
        <label>Comment (optional) <textarea name="comment" maxlength={2000}>{prev?.comment ?? ""}</textarea></label>
        <button type="submit">save and continue</button>
      </form>
      <Progress token={props.token} answered={props.answered} current={props.position} />
    </BareLayout>
  );
}

function Progress(props: { token: string; answered: boolean[]; current?: number }) {
  return (
    <nav class="progress">
      {props.answered.map((done, i) => (
        <a href={`/s/${props.token}/${i + 1}`} class={i + 1 === props.current ? "current" : done ? "done" : "open"}>{i + 1}</a>
      ))}
    </nav>
  );
}

export function AnnotatorDonePage(props: { token: string; answered: boolean[] }) {
  return (
    <BareLayout title="Thank you">
      <h1>Thank you</h1>
      <p>You have answered all {props.answered.length} conversations. You can still change an answer:</p>
      <Progress token={props.token} answered={props.answered} />
    </BareLayout>
  );
}
