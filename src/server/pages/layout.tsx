/** @jsxImportSource hono/jsx */
/** The page frame and small shared pieces. Hono JSX escapes every text and attribute value. */
import type { Child } from "hono/jsx";

function Head(props: { title: string; charts?: boolean }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
      <title>{props.title}</title>
      <link rel="stylesheet" href="/static/style.css" />
      {props.charts ? <link rel="stylesheet" href="/static/uPlot.min.css" /> : null}
    </head>
  );
}

export function Layout(props: { title: string; children?: Child; charts?: boolean }) {
  return (
    <html lang="en">
      <Head title={`${props.title} · ppol`} charts={props.charts} />
      <body>
        <nav>
          <a href="/">runs</a> <a href="/programs">programs</a> <a href="/personas">personas</a> <a href="/sets">human sets</a> <a href="/reports">report</a>{" "}
          <a href="/llm">LLM calls</a> <a href="/studies">studies</a>
        </nav>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        {props.charts ? <script src="/static/uPlot.iife.min.js"></script> : null}
        <script src="/static/app.js"></script>
      </body>
    </html>
  );
}

/** A frame with no navigation and no script: what annotators see. */
export function BareLayout(props: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <Head title={props.title} />
      <body>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export const fmt = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits));
export const pct = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)}%`);
export const int = (x: number) => x.toLocaleString("en-US");

/** A link that continues a list: `href` with one query parameter replaced. */
export function NextLink(props: { base: string; params: Record<string, string | number | undefined>; label?: string }) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(props.params)) if (v !== undefined && v !== "") q.set(k, String(v));
  return (
    <p class="pager">
      <a href={`${props.base}?${q}`}>{props.label ?? "next page →"}</a>
    </p>
  );
}

export const path = (...parts: (string | number)[]) => `/${parts.map((p) => encodeURIComponent(String(p))).join("/")}`;

export function NotFound(props: { what: string }) {
  return (
    <Layout title="not found">
      <p>{props.what}</p>
    </Layout>
  );
}
