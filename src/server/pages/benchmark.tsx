/** @jsxImportSource hono/jsx */
/** A benchmark run: its Table 1 (from the stored report.json) and its plots (stored SVG files). */
import type { RunRow } from "../../store/index.ts";
import { Layout, path } from "./layout.tsx";

interface Estimate {
  value: number | null;
  lo: number | null;
  hi: number | null;
}
interface Condition {
  name: string;
  episodes: number;
  tasks: number;
  metrics: Record<string, Estimate | Record<string, Estimate>>;
}
export interface StoredReport {
  domain: string;
  split: string;
  human_set: string | null;
  discriminator: string | null;
  agents: { agent_model: string | null; conditions: Condition[] }[];
}

const COLUMNS = [
  ["hl", "HL"],
  ["cov", "Cov"],
  ["score", "Score"],
  ["usi", "USI"],
  ["fidelity_flag_rate", "Flags"],
  ["reward", "Reward"],
  ["user_turns", "Turns"],
] as const;

const cell = (e: Estimate | undefined, digits = 3) =>
  !e || e.value === null ? "–" : `${e.value.toFixed(digits)}${e.lo !== null && e.hi !== null ? ` [${e.lo.toFixed(digits)}, ${e.hi.toFixed(digits)}]` : ""}`;

export function BenchmarkPage(props: { run: RunRow; report: StoredReport | null; images: string[]; files: string[] }) {
  const r = props.report;
  return (
    <Layout title={`benchmark ${props.run.id}`}>
      <p>
        status {props.run.status} · created {props.run.created_at}
        {r ? ` · ${r.domain} ${r.split} · human set ${r.human_set ?? "–"} · discriminator ${r.discriminator ?? "–"}` : ""}
      </p>
      {r ? (
        r.agents.map((block) => (
          <section>
            <h2>{block.agent_model ? `agent ${block.agent_model}` : "human reference"}</h2>
            <table>
              <thead>
                <tr><th>condition</th><th>episodes</th><th>tasks</th>{COLUMNS.map(([, h]) => <th>{h} (95% CI)</th>)}</tr>
              </thead>
              <tbody>
                {block.conditions.map((c) => (
                  <tr>
                    <td>{c.name}</td><td>{c.episodes}</td><td>{c.tasks}</td>
                    {COLUMNS.map(([k]) => <td>{cell(c.metrics[k] as Estimate | undefined, k === "user_turns" ? 1 : 3)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      ) : (
        <p>No report stored yet: finish the run with `ppol benchmark --resume {props.run.id}`.</p>
      )}
      {props.images.map((name) => <img class="plot" src={path("runs", props.run.id, "artifacts", name)} alt={name} />)}
      {props.files.length ? <p>files: {props.files.map((name) => <><a href={path("runs", props.run.id, "artifacts", name)}>{name}</a> </>)}</p> : null}
    </Layout>
  );
}
