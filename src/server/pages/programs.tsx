/** @jsxImportSource hono/jsx */
/** Generator programs: the list, and one program with colouring, a diff against another, and its personas. */
import { diffLines } from "diff";
import type { EvolvedProgram, Page, ProgramListRow, ProgramRow } from "../../store/index.ts";
import { Code } from "./highlight.tsx";
import { fmt, int, Layout, NextLink, path } from "./layout.tsx";

export function ProgramsPage(props: { page: Page<ProgramListRow> }) {
  return (
    <Layout title="programs">
      {props.page.items.length ? (
        <table>
          <thead><tr><th>program</th><th>name</th><th>lines</th><th>stored</th></tr></thead>
          <tbody>
            {props.page.items.map((p) => (
              <tr><td><a href={path("programs", p.sha256)}><code>{p.sha256.slice(0, 12)}</code></a></td><td>{p.name}</td><td>{int(p.lines)}</td><td>{p.created_at}</td></tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No programs yet: ppol personas stores the generator program it runs.</p>
      )}
      {props.page.next !== undefined ? <NextLink base="/programs" params={{ offset: props.page.next }} /> : null}
    </Layout>
  );
}

export interface DiffLine {
  op: "add" | "del" | "same";
  text: string;
}

/** Line diff of two program texts (the `diff` package), as lines marked added / removed / unchanged. */
export function programDiff(before: string, after: string): DiffLine[] {
  return diffLines(before, after).flatMap((part) => {
    const lines = part.value.replace(/\n$/, "").split("\n");
    return lines.map((text) => ({ op: part.added ? "add" : part.removed ? "del" : "same", text }) as DiffLine);
  });
}

export function Diff(props: { lines: DiffLine[] }) {
  const sign = { add: "+", del: "-", same: " " } as const;
  return (
    <pre class="diff">
      {props.lines.map((l) => (
        <span class={`diff-${l.op}`}>{`${sign[l.op]} ${l.text}\n`}</span>
      ))}
    </pre>
  );
}

export function ProgramPage(props: { program: ProgramRow; against?: ProgramRow; tasks: { run_id: string; task_id: string; ok: number; personas: number }[]; evolved?: EvolvedProgram }) {
  const { program, against, evolved: e } = props;
  const diff = against ? programDiff(against.code, program.code) : undefined;
  const metrics = e?.metrics_json ? (JSON.parse(e.metrics_json) as Record<string, number>) : undefined;
  const validation = e?.validation_json ? (JSON.parse(e.validation_json) as { status: string; metrics?: Record<string, number> }) : undefined;
  const reflection = e ? (JSON.parse(e.artifacts_json) as Record<string, string>).reflection : undefined;
  return (
    <Layout title={`program ${program.sha256.slice(0, 12)}`}>
      <p>
        {program.name} · stored {program.created_at} · sha256 <code>{program.sha256}</code>
      </p>
      {e ? (
        <section>
          <h2>evolution</h2>
          <p>
            run <a href={path("runs", e.run_id)}>{e.run_id}</a> · {e.id} · island {e.island} · generation {e.generation} · {e.status}
            {e.reason ? ` (${e.reason})` : ""}
            {e.angle ? ` · angle: ${e.angle}` : ""}
            {e.mutator_model ? ` · mutator ${e.mutator_model}` : ""}
          </p>
          {metrics ? <p>train: {Object.entries(metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(" · ")}</p> : null}
          {validation?.metrics ? <p>validation: {Object.entries(validation.metrics).map(([k, v]) => `${k} ${fmt(v)}`).join(" · ")}</p> : null}
          <p>
            lineage to the seed:{" "}
            {e.lineage.length
              ? e.lineage.map((a) => <><a href={path("programs", a.code_sha)}><code>{a.id}</code></a> </>)
              : "this is the seed"}
          </p>
          {reflection ? <><h3>reflection</h3><pre class="reflection">{reflection}</pre></> : null}
        </section>
      ) : null}
      <h2>its personas</h2>
      {props.tasks.length ? (
        <ul>
          {props.tasks.map((t) => (
            <li>
              run <a href={path("runs", t.run_id)}>{t.run_id}</a> task {t.task_id}: {t.ok ? `${t.personas} personas` : "failed"}
            </li>
          ))}
        </ul>
      ) : (
        <p>none stored</p>
      )}
      <h2>diff {against ? <>against <a href={path("programs", against.sha256)}><code>{against.sha256.slice(0, 12)}</code></a></> : null}</h2>
      {diff ? (
        <>
          <p class="diff-stats">
            +{diff.filter((l) => l.op === "add").length} −{diff.filter((l) => l.op === "del").length}
          </p>
          <Diff lines={diff} />
        </>
      ) : (
        <p>No earlier program to compare with (pass ?against=SHA256).</p>
      )}
      <h2>code</h2>
      <Code code={program.code} />
    </Layout>
  );
}
