/** @jsxImportSource hono/jsx */
/** Python syntax colouring for program pages: one regex tokenizer, spans by class (escaped like any text). */
const TOKEN = /(#[^\n]*)|((?:[rRbBuUfF]{0,2})(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))|\b(\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\b|\b(False|None|True|and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|yield)\b/g;
const KINDS = ["comment", "string", "number", "keyword"] as const;

export function highlightPython(code: string): { text: string; kind?: (typeof KINDS)[number] }[] {
  const out: { text: string; kind?: (typeof KINDS)[number] }[] = [];
  let at = 0;
  for (const m of code.matchAll(TOKEN)) {
    if (m.index > at) out.push({ text: code.slice(at, m.index) });
    const group = m.slice(1).findIndex((g) => g !== undefined);
    out.push({ text: m[0], kind: KINDS[group] });
    at = m.index + m[0].length;
  }
  if (at < code.length) out.push({ text: code.slice(at) });
  return out;
}

export function Code(props: { code: string }) {
  return (
    <pre class="code">
      {highlightPython(props.code).map((t) => (t.kind ? <span class={`tok-${t.kind}`}>{t.text}</span> : t.text))}
    </pre>
  );
}
