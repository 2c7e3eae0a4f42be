/** @jsxImportSource hono/jsx */
/**
 * The evolve run dashboard, over plain data. The evolution engine's archive queries (migration 010)
 * produce an EvolveDashboardData; the server wires that query in through AppDeps.evolveDashboard.
 */
import { z } from "zod";
import { RunRow } from "../../store/index.ts";
import { fmt, int, Layout, path } from "./layout.tsx";

export const EvolveDashboardData = z.object({
  run: RunRow,
  /** One point per island and iteration (charts: train/validation score, HL, Cov per island). */
  iterations: z.array(z.object({ island: z.int(), iteration: z.int(), train: z.number().nullable(), validation: z.number().nullable(), hl: z.number().nullable(), cov: z.number().nullable() })),
  /** MAP-Elites grid per island over (HL bin, Cov bin): the elite's score and program. */
  grids: z.array(z.object({ island: z.int(), bins: z.int().min(1), cells: z.array(z.object({ hlBin: z.int(), covBin: z.int(), score: z.number(), program: z.string() })) })),
  /** Children by iteration: accepted into the database or rejected, and why. */
  children: z.array(z.object({ iteration: z.int(), island: z.int(), program: z.string(), parent: z.string().nullable(), accepted: z.boolean(), reason: z.string() })),
  usage: z.object({ promptTokens: z.int(), completionTokens: z.int(), cost: z.number().nullable(), callsPerSecond: z.number().nullable() }),
});
export type EvolveDashboardData = z.infer<typeof EvolveDashboardData>;

/** Score in [0, 1] → one of ten heat classes (colours live in style.css: CSP forbids inline styles). */
export const heatClass = (score: number) => `heat-${Math.min(9, Math.max(0, Math.floor(score * 10)))}`;

function Grid(props: { grid: EvolveDashboardData["grids"][number] }) {
  const { bins, cells } = props.grid;
  const at = new Map(cells.map((c) => [`${c.hlBin},${c.covBin}`, c]));
  const rows = Array.from({ length: bins }, (_, i) => bins - 1 - i);
  return (
    <table class="grid">
      <caption>island {props.grid.island}: HL ↑ × Cov →</caption>
      <tbody>
        {rows.map((hl) => (
          <tr>
            {Array.from({ length: bins }, (_, cov) => {
              const c = at.get(`${hl},${cov}`);
              return c ? (
                <td class={heatClass(c.score)}><a href={path("programs", c.program)} title={`score ${fmt(c.score)}`}>{fmt(c.score, 2)}</a></td>
              ) : (
                <td class="empty"></td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const bestOf = (xs: (number | null)[]) => xs.reduce<number | null>((b, x) => (x !== null && (b === null || x > b) ? x : b), null);

export function EvolveDashboard(props: { data: EvolveDashboardData }) {
  const { run, grids, children, usage } = props.data;
  const src = `/api/runs/${encodeURIComponent(run.id)}/dashboard`;
  return (
    <Layout title={`evolve run ${run.id}`} charts>
      <section id="live" data-run={run.id} data-status={run.status} data-dashboard={src}>
        <dl class="numbers">
          <dt>status</dt><dd data-field="status">{run.status}</dd>
          <dt>evaluations</dt><dd data-field="evaluations">{int(props.data.iterations.length)}</dd>
          <dt>best train</dt><dd data-field="bestTrain">{fmt(bestOf(props.data.iterations.map((p) => p.train)))}</dd>
          <dt>best validation</dt><dd data-field="bestValidation">{fmt(bestOf(props.data.iterations.map((p) => p.validation)))}</dd>
          <dt>tokens</dt><dd>{int(usage.promptTokens + usage.completionTokens)}</dd>
          <dt>cost</dt><dd>{usage.cost === null ? "–" : usage.cost.toFixed(4)}</dd>
          <dt>calls/s</dt><dd>{fmt(usage.callsPerSecond, 2)}</dd>
        </dl>
      </section>
      {["train", "validation", "hl", "cov"].map((metric) => (
        <div class="chart" data-src={src} data-chart="islands" data-metric={metric}></div>
      ))}
      <h2>MAP-Elites grids</h2>
      <div class="grids">{grids.map((g) => <Grid grid={g} />)}</div>
      <h2>children</h2>
      <table>
        <thead><tr><th>iteration</th><th>island</th><th>program</th><th>parent</th><th>outcome</th><th>why</th></tr></thead>
        <tbody>
          {children.map((c) => (
            <tr>
              <td>{c.iteration}</td>
              <td>{c.island}</td>
              <td><a href={path("programs", c.program)}><code>{c.program.slice(0, 12)}</code></a></td>
              <td>{c.parent ? <a href={path("programs", c.parent)}><code>{c.parent.slice(0, 12)}</code></a> : "seed"}</td>
              <td class={c.accepted ? "accepted" : "rejected"}>{c.accepted ? "accepted" : "rejected"}</td>
              <td>{c.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
