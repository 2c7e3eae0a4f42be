/** @jsxImportSource hono/jsx */
/** The report page: stored scores (HL, Cov, Score) as a table and a chart; one score's full result. */
import type { Page, ScoreListRow } from "../../store/index.ts";
import { fmt, Layout, NextLink, path } from "./layout.tsx";
import { prettyJson } from "./runs.tsx";

export function ReportPage(props: { page: Page<ScoreListRow>; offset: number }) {
  return (
    <Layout title="report" charts>
      {props.page.items.length ? (
        <>
          <div class="chart" data-src={`/api/scores?offset=${props.offset}`} data-chart="scores"></div>
          <table>
            <thead><tr><th>score</th><th>episodes</th><th>human set</th><th>discriminator</th><th>HL</th><th>Cov</th><th>Score</th><th>stored</th></tr></thead>
            <tbody>
              {props.page.items.map((s) => (
                <tr>
                  <td><a href={path("reports", s.id)}>{s.id}</a></td>
                  <td>{s.episodes}</td>
                  <td>{s.human_set}</td>
                  <td>{s.discriminator_id}</td>
                  <td>{fmt(s.hl)}</td>
                  <td>{fmt(s.cov)}</td>
                  <td>{fmt(s.score)}</td>
                  <td>{s.created_at}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p>No scores yet: ppol score --episodes RUN --human SET --discriminator ID.</p>
      )}
      {props.page.next !== undefined ? <NextLink base="/reports" params={{ offset: props.page.next }} /> : null}
    </Layout>
  );
}

export function ScorePage(props: { id: number; resultJson: string }) {
  return (
    <Layout title={`score ${props.id}`}>
      <pre>{prettyJson(props.resultJson)}</pre>
    </Layout>
  );
}
