/**
 * A small archive with one of everything the web UI shows, written through the store's own writers:
 * a simulate run with episodes, a personas run with two programs and their personas, a human and a
 * simulator conversation set, LLM calls (ok and failed) and a score. `payload` is put into every text a
 * page shows (LLM answers, persona texts, conversations, tool results, program code) for XSS tests.
 */
import { createEvolveRun, createRun, type EvolveProgramRow, insertEpisode, insertEvolveProgram, recordLlmCalls, saveArtifacts, setEvolveRunStatus, saveConversationSet, savePersonaProgram, savePersonaTask, setRunStatus, type EpisodeRecordInput, type Store } from "../../src/store/index.ts";
import { sha256 } from "../../src/hash.ts";

/** Script tags, event handlers, javascript: URLs, SVG payloads, markdown links, attribute break-outs. */
export const XSS_CORPUS = [
  `<script>window.__xss=1</script>`,
  `<img src=x onerror="window.__xss=1">`,
  `<a href="javascript:window.__xss=1">click me</a>`,
  `<svg onload="window.__xss=1"><script>window.__xss=1</script></svg>`,
  `<svg><a xlink:href="javascript:window.__xss=1"><text>svg link</text></a></svg>`,
  `[markdown link](javascript:window.__xss=1)`,
  `"><script>window.__xss=1</script>`,
  `' onmouseover='window.__xss=1`,
  `</textarea></pre><script>window.__xss=1</script>`,
  `<iframe src="javascript:window.__xss=1"></iframe>`,
  `<body onload=window.__xss=1>`,
];
export const XSS = XSS_CORPUS.join(" ");

const T0 = Date.parse("2026-01-01T00:00:00Z");
export const at = (s: number) => new Date(T0 + s * 1000);

export function episodeRecord(runId: string, ordinal: number, opts: { payload?: string; reward?: number; userText?: string } = {}): EpisodeRecordInput {
  const p = opts.payload ?? "";
  return {
    id: `${runId}-e${ordinal}`,
    run_id: runId,
    ordinal,
    domain: "retail",
    task_id: String(ordinal % 3),
    trial: ordinal, // unique per run: (run, task, trial, persona) is the episode's natural key
    persona_key: ordinal % 2 ? `p${ordinal}` : "",
    persona_text: ordinal % 2 ? `terse persona ${p}` : null,
    seed: 1,
    agent_model: "agent-model",
    user_model: "user-model",
    termination: "user_stop",
    reward: opts.reward ?? (ordinal % 2),
    reward_info: { db: opts.reward ?? ordinal % 2, note: `components ${p}` },
    steps: 6,
    tool_errors: 1,
    user_turns: 2,
    messages: [
      { role: "assistant", content: "Hi! How can I help you today?", turn: 0 },
      { role: "user", content: opts.userText ?? `i want to return a lamp ${p}`, turn: 1 },
      { role: "assistant", content: null, toolCalls: [{ id: "c1", name: "find_user_id_by_email", arguments: { email: `a@b.c ${p}` } }], turn: 2 },
      { role: "tool", content: `{"error": "not found ${p.replace(/"/g, "'")}"}`, toolCallId: "c1", name: "find_user_id_by_email", error: true, turn: 3 },
      { role: "assistant", content: `<|think|>secret<|/think|>Your return is done. ${p}`, turn: 4 },
      { role: "user", content: "ok thanks ###STOP###", turn: 5 },
    ],
    fidelity: p ? [{ turn: 1, kind: "invented_id", evidence: `said ${p}` }] : [],
    llm_calls: 4,
    prompt_tokens: 100,
    completion_tokens: 20,
    error: null,
    retries: [],
    user_guidelines_sha256: null,
    ms: 12,
    created_at: at(ordinal).toISOString(),
  };
}

export const PROGRAM_A = `# generator A\nDIVERSITY_AXES = [{"behavior": "terse"}]\n\ndef generate_personas_detailed(c, axes, n):\n    return []\n`;
export const PROGRAM_B = `# generator B\nDIVERSITY_AXES = [{"behavior": "terse"}, {"behavior": "skeptical"}]\n\ndef generate_personas_detailed(c, axes, n):\n    # over-generate, then prune\n    return []\n`;

export function seedArchive(store: Store, opts: { payload?: string; episodes?: number; humans?: number } = {}) {
  const p = opts.payload ?? "";
  createRun(store, { id: "run-sim", kind: "simulate", config: { note: p }, seed: 1, version: "0.1.0", now: at(0) });
  for (let i = 0; i < (opts.episodes ?? 6); i++) insertEpisode(store, episodeRecord("run-sim", i, { payload: p }));
  setRunStatus(store, "run-sim", "done", at(100));

  createRun(store, { id: "run-per", kind: "personas", config: {}, seed: 1, version: "0.1.0", now: at(1) });
  const codeA = `${PROGRAM_A}# ${p}\n`;
  const codeB = `${PROGRAM_B}NOTE = """${p}"""\n`;
  savePersonaProgram(store, { sha256: sha256(codeA), name: "a.py", code: codeA, now: at(2) });
  savePersonaProgram(store, { sha256: sha256(codeB), name: `b.py ${p}`, code: codeB, now: at(3) });
  savePersonaTask(
    store,
    {
      runId: "run-per", taskId: "0", programSha: sha256(codeB), domain: "retail", n: 2, ok: true, errorKind: null, error: null, failures: [], stdout: "", stderr: "", ms: 5,
      personas: [0, 1].map((i) => ({ persona_id: `persona_${i}`, description: `impatient ${p}`, axis_placement: { terse: true, [`axis ${p}`]: true }, reasoning: `because ${p}`, expanded_instruction: `type fast ${p}`, warnings: [] })),
    },
    at(4),
  );
  setRunStatus(store, "run-per", "done", at(5));

  const conv = (id: string, source: string, text: string) => ({ id, source, domain: "retail", task_id: "0", messages: [{ role: "assistant" as const, content: "Hello, how can I help?" }, { role: "user" as const, content: text }, { role: "assistant" as const, content: `Sure ${p}` }], meta: {} });
  const humans = Array.from({ length: opts.humans ?? 4 }, (_, i) => ({ conversation: conv(`human-conv-${i}`, "human", `hey my order ${i} never came ${p}`), split: "train" as const }));
  saveConversationSet(store, { name: "people", kind: "human", format: "jsonl", domain: "retail", source_files: ["people.jsonl"], normalization: "none", preparation: "reference", split_rule: "all-train", space: "raw" }, humans, { replace: false, now: at(6) });
  const sims = Array.from({ length: 4 }, (_, i) => ({ conversation: conv(`sim-conv-${i}`, "simulator", `Hello! I would like to return order #W${i}000. ${p}`), split: "train" as const }));
  saveConversationSet(store, { name: "sims", kind: "simulator", format: "jsonl", domain: "retail", source_files: ["sims.jsonl"], normalization: "none", preparation: "reference", split_rule: "all-train", space: "raw" }, sims, { replace: false, now: at(7) });

  const requestJson = JSON.stringify({ body: { messages: [{ role: "user", content: `hello ${p}` }] }, role: "user", sample: 0, v: 1 });
  const base = { run_id: "run-sim", role: "user", attempt: 1, endpoint: "local", base_url: "http://127.0.0.1:11434/v1", model: "m", raw_json: null, streamed: 0, created_at: at(8).toISOString() };
  recordLlmCalls(store, [
    { call: { ...base, request_hash: "a".repeat(64), status: "ok", error_kind: null, error: null, response_json: JSON.stringify({ content: `answer ${p}` }), prompt_tokens: 10, completion_tokens: 5, latency_ms: 42 }, request: { json: requestJson, blobs: [] } },
    { call: { ...base, request_hash: "a".repeat(64), attempt: 2, status: "error", error_kind: "server", error: `500 ${p}`, response_json: null, prompt_tokens: null, completion_tokens: null, latency_ms: 7 } },
  ]);
  store.db.query("INSERT INTO discriminators (id, human_set, simulator, cv_auc, model, created_at) VALUES ('d-1', 'people', 'sims', 0.8, '{}', ?)").run(at(9).toISOString());
  store.db
    .query("INSERT INTO scores (discriminator_id, human_set, episodes, feature_version, cue_version, hl, cov, score, result, created_at) VALUES ('d-1', 'people', ?, 'f', 'c', 0.4, 0.6, 0.5, ?, ?)")
    .run(`run:run-sim ${p}`, JSON.stringify({ hl: 0.4, note: p }), at(10).toISOString());

  // An evolve run that made program B from program A (the seed), with metrics and a reflection.
  createEvolveRun(store, { id: "run-evo", config: {}, options: {}, problemSha: "p", seed: 1, version: "0.1.0", now: at(14) });
  const evo = (id: string, code: string, parent: string | null, extra: Partial<EvolveProgramRow>): EvolveProgramRow => ({
    run_id: "run-evo", id, kind: parent ? "child" : "seed", generation: parent ? 1 : 0, slot: 0, attempt: 0, island: 0, parent_id: parent, source_id: null, code, code_sha: sha256(code), diff: "",
    angle: null, mutator_model: null, mutator_target: null, request_hashes_json: "[]", tokens: 0, status: "evaluated", reason: null, error: null, metrics_json: '{"score":0.4}', descriptors_json: "[0.4,0.4]",
    objectives_json: "[]", artifacts_json: "{}", validation_json: null, created_at: at(15).toISOString(), evaluated_at: at(16).toISOString(), ...extra,
  });
  insertEvolveProgram(store, evo("g0-seed", codeA, null, {}));
  insertEvolveProgram(store, evo("g1-s0-a0", codeB, "g0-seed", { angle: `revise the axes ${p}`, mutator_model: "mut-model", metrics_json: '{"score":0.6,"hl":0.5,"cov":0.7}', artifacts_json: JSON.stringify({ reflection: `users were too polite ${p}` }) }));
  setEvolveRunStatus(store, "run-evo", { status: "done", stop_reason: "iterations", final_id: "g1-s0-a0", now: at(17) });

  // A finished benchmark with its stored report and one plot.
  createRun(store, { id: "run-bench", kind: "benchmark", config: { plan: { note: p } }, seed: 1, version: "0.1.0", now: at(11) });
  const est = (value: number) => ({ value, lo: value - 0.1, hi: value + 0.1, n: 3 });
  const report = { domain: "airline", split: "test", human_set: `people ${p}`, discriminator: "d-1", agents: [{ agent_model: `agent-model ${p}`, conditions: [{ name: `base ${p}`, episodes: 3, tasks: 3, metrics: { hl: est(0.25), cov: est(0.5), score: est(0.375) } }] }] };
  saveArtifacts(store, "run-bench", [
    { name: "report.json", content_type: "application/json", body: JSON.stringify(report) },
    { name: "features.svg", content_type: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>' },
  ], at(12));
  setRunStatus(store, "run-bench", "done", at(13));
  return { programA: sha256(codeA), programB: sha256(codeB) };
}
