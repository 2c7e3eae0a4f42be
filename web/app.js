// ppol web client: charts (uPlot) and a run's live numbers (Server-Sent Events).
// Text from the archive is only ever set with textContent: nothing here parses HTML.
(function () {
  "use strict";

  const fmt = (x, d) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d === undefined ? 3 : d));
  const int = (x) => x.toLocaleString("en-US");
  const pct = (x) => (x === null || x === undefined ? "–" : `${(100 * x).toFixed(1)}%`);
  const charts = new Map();

  async function getJson(url) {
    const r = await fetch(url, { credentials: "same-origin" });
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
  }

  function plot(el, title, labels, data, yRange) {
    if (typeof uPlot === "undefined") return;
    const old = charts.get(el);
    if (old && old.series.length === labels.length + 1) return old.setData(data);
    if (old) old.destroy();
    const palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2"];
    const opts = {
      title,
      width: Math.max(320, el.clientWidth || 800),
      height: 240,
      scales: yRange ? { x: { time: false }, y: { range: yRange } } : { x: { time: false } },
      series: [{}].concat(labels.map((label, i) => ({ label, stroke: palette[i % palette.length], width: 2, spanGaps: true }))),
    };
    charts.set(el, new uPlot(opts, data, el));
  }

  function runCurve(el, numbers) {
    const c = numbers.curve;
    plot(el, "mean reward by episode", ["mean reward"], [c.map((p) => p.episode), c.map((p) => p.meanReward)], [0, 1]);
  }

  function islands(el, dash) {
    const metric = el.dataset.metric;
    const ids = [...new Set(dash.iterations.map((p) => p.island))].sort((a, b) => a - b);
    const xs = [...new Set(dash.iterations.map((p) => p.iteration))].sort((a, b) => a - b);
    const at = new Map(dash.iterations.map((p) => [`${p.island}:${p.iteration}`, p[metric]]));
    plot(el, `${metric} per island`, ids.map((i) => `island ${i}`), [xs].concat(ids.map((i) => xs.map((x) => (at.has(`${i}:${x}`) ? at.get(`${i}:${x}`) : null)))));
  }

  function scores(el, page) {
    const items = page.items.slice().reverse();
    plot(el, "stored scores (oldest → newest)", ["HL", "Cov", "Score"], [items.map((_, i) => i), items.map((s) => s.hl), items.map((s) => s.cov), items.map((s) => s.score)], [0, 1]);
  }

  const RENDER = { "run-curve": (el, d) => runCurve(el, d.numbers), islands, scores };

  async function initCharts() {
    for (const el of document.querySelectorAll(".chart[data-src]")) {
      const render = RENDER[el.dataset.chart];
      if (!render) continue;
      try {
        render(el, await getJson(el.dataset.src));
      } catch (error) {
        el.textContent = `chart unavailable (${error.message})`;
      }
    }
  }

  function cell(row, text, href) {
    const td = document.createElement("td");
    if (href) {
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else td.textContent = text;
    row.appendChild(td);
  }

  async function refreshEpisodes(runId) {
    const body = document.getElementById("episode-rows");
    if (!body || new URLSearchParams(location.search).has("after")) return;
    const page = await getJson(`/api/runs/${encodeURIComponent(runId)}/episodes`);
    const rows = page.items.map((e) => {
      const tr = document.createElement("tr");
      cell(tr, String(e.ordinal), `/episodes/${encodeURIComponent(e.id)}`);
      cell(tr, e.task_id);
      cell(tr, e.persona_key || "(base)");
      cell(tr, e.termination);
      cell(tr, fmt(e.reward, 2));
      cell(tr, String(e.user_turns));
      cell(tr, String(e.fidelity_flags));
      cell(tr, int(e.prompt_tokens + e.completion_tokens));
      return tr;
    });
    body.replaceChildren(...rows);
  }

  function setField(root, name, text) {
    const el = root.querySelector(`[data-field="${name}"]`);
    if (el) el.textContent = text;
  }

  /** An evolve dashboard: new evaluations, best scores and the island charts, from the dashboard API. */
  async function refreshDashboard(root) {
    const dash = await getJson(root.dataset.dashboard);
    const best = (key) => dash.iterations.reduce((b, p) => (p[key] !== null && (b === null || p[key] > b) ? p[key] : b), null);
    setField(root, "evaluations", int(dash.iterations.length));
    setField(root, "bestTrain", fmt(best("train")));
    setField(root, "bestValidation", fmt(best("validation")));
    for (const el of document.querySelectorAll('.chart[data-chart="islands"]')) islands(el, dash);
  }

  function live() {
    const root = document.getElementById("live");
    if (!root || root.dataset.status !== "running" || typeof EventSource === "undefined") return;
    const runId = root.dataset.run;
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    source.addEventListener("numbers", (event) => {
      const { status, numbers: n } = JSON.parse(event.data);
      root.dataset.status = status;
      setField(root, "status", status);
      if (n) {
        setField(root, "episodes", int(n.episodes));
        setField(root, "pass", n.scored ? pct(n.passed / n.scored) : "–");
        setField(root, "meanReward", fmt(n.meanReward));
        setField(root, "unevaluated", `${int(n.notEvaluated)} / ${int(n.evaluationFailed)}`);
        setField(root, "fidelityFlags", int(n.fidelityFlags));
        setField(root, "llmCalls", int(n.llmCalls));
        setField(root, "tokens", int(n.promptTokens + n.completionTokens));
        setField(root, "terminations", Object.entries(n.terminations).map(([k, v]) => `${k} ${v}`).join(" · "));
        const chart = document.getElementById("run-chart");
        if (chart) runCurve(chart, n);
        refreshEpisodes(runId).catch(() => {});
      }
      if (root.dataset.dashboard) refreshDashboard(root).catch(() => {});
      if (status !== "running") source.close();
    });
  }

  initCharts();
  live();
})();
