import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, ROLE_NAMES, roleConfig } from "../config/index.ts";
import { sha256 } from "../hash.ts";
import { probeEndpoint } from "../llm/index.ts";
import { sandboxSupport } from "../python/index.ts";
import { openStore, SCHEMA_VERSION } from "../store/index.ts";
import { defineCommand, JSON_OPTION, type CommandContext } from "./command.ts";
import { versionInfo } from "./version.ts";

type Status = "ok" | "warn" | "fail";
interface Check {
  name: string;
  status: Status;
  detail: string;
  fix?: string;
  ms: number;
  data?: Record<string, unknown>;
}

export default defineCommand({
  name: "doctor",
  summary: "check the Python runtime, the archive, the cache and your model servers",
  usage: "ppol doctor [--json] [--skip-endpoints]",
  description:
    "Every check prints ok, warn (works, with a fix to apply) or fail. Exit 0 unless a check fails.\n" +
    "An unreachable model server is a warning: everything that needs no LLM still works, and an archive\n" +
    "recorded elsewhere replays with --llm-cache ro.",
  options: {
    ...JSON_OPTION,
    "skip-endpoints": { type: "boolean", description: "do not contact the configured model servers" },
  },
  examples: ["ppol doctor", "ppol doctor --json | jq .checks", "ppol --endpoint http://127.0.0.1:8080/v1 doctor"],
  async run(ctx) {
    const checks: Check[] = [];
    checks.push(await timed("cache", () => checkCache(ctx.cacheRoot)));
    checks.push(await timed("python", () => checkPython(ctx)));
    checks.push(await timed("archive", () => checkArchive()));
    checks.push(await timed("sandbox", () => checkSandbox()));
    const { config } = ctx.config();
    if (!ctx.values["skip-endpoints"]) for (const check of await checkEndpoints(config, ctx.env)) checks.push(check);

    const ok = checks.every((c) => c.status !== "fail");
    if (ctx.values.json) {
      ctx.io.out(JSON.stringify({ ok, version: versionInfo(), checks }, null, 2));
    } else {
      const mark = { ok: paint(ctx, "32", "ok  "), warn: paint(ctx, "33", "warn"), fail: paint(ctx, "31", "FAIL") };
      for (const c of checks) {
        ctx.io.out(`${mark[c.status]}  ${c.name.padEnd(22)} ${c.detail}`);
        if (c.fix) ctx.io.out(`      ${"".padEnd(22)} → ${c.fix}`);
      }
      ctx.io.out(ok ? "all required checks passed" : "some checks failed: see the → lines");
    }
    return ok ? 0 : 1;
  },
});

function paint(ctx: CommandContext, code: string, text: string) {
  return ctx.io.color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

async function timed(name: string, fn: () => Promise<Omit<Check, "name" | "ms">> | Omit<Check, "name" | "ms">): Promise<Check> {
  const started = performance.now();
  try {
    return { name, ...(await fn()), ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { name, status: "fail", detail: (error as Error).message.split("\n")[0] ?? String(error), fix: (error as any).hint, ms: Math.round(performance.now() - started) };
  }
}

function checkCache(root: string): Omit<Check, "name" | "ms"> {
  mkdirSync(root, { recursive: true });
  accessSync(root, constants.W_OK);
  return { status: "ok", detail: `${root} is writable`, data: { dir: root } };
}

async function checkPython(ctx: CommandContext): Promise<Omit<Check, "name" | "ms">> {
  const python = await ctx.python();
  // A real computation, checked against its known answer, proves the interpreter runs.
  const result = await python.run("import sys, hashlib\n{'sum_squares': sum(i * i for i in range(1000)), 'sha': hashlib.sha256(b'ppol').hexdigest()[:12], 'version': sys.version.split()[0]}");
  const value = result.value as { sum_squares: number; sha: string; version: string };
  const expected = sha256("ppol").slice(0, 12);
  const correct = value.sum_squares === 332_833_500 && value.sha === expected;
  return {
    status: correct ? "ok" : "fail",
    detail: `Python ${value.version} (Pyodide ${python.pyodideVersion}) booted in ${Math.round(python.boot.ms)} ms from ${python.boot.kind === "snapshot" ? "the memory snapshot" : "scratch (snapshot saved for next time)"}; computation ${correct ? "correct" : "WRONG"}`,
    fix: correct ? undefined : "delete the cache directory and run again",
    data: { ran: correct, python: value.version, pyodide: python.pyodideVersion, boot_ms: Math.round(python.boot.ms), boot_kind: python.boot.kind, origin: ctx.pythonAssets.origin, cache_dir: python.boot.cacheDir, result: value },
  };
}

/** Whether model-written programs can be confined here; without it they are refused unless --unsafe-sandbox. */
function checkSandbox(): Omit<Check, "name" | "ms"> {
  const support = sandboxSupport();
  return support.confined
    ? { status: "ok", detail: `untrusted programs run confined: ${support.detail}`, data: { ...support } }
    : {
        status: "warn",
        detail: `no OS confinement for untrusted programs on ${support.platform} (${support.detail})`,
        fix: "evolution refuses model-written programs here; run on Linux x86-64 with Landlock, or pass --unsafe-sandbox to accept the risk (recorded in the run)",
        data: { ...support },
      };
}

function checkArchive(): Omit<Check, "name" | "ms"> {
  const dir = mkdtempSync(join(tmpdir(), "ppol-doctor-"));
  try {
    const store = openStore(join(dir, "doctor.sqlite"));
    const mode = (store.db.query("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
    const version = (store.db.query("SELECT max(version) AS v FROM schema_migrations").get() as { v: number }).v;
    store.close();
    const ok = mode === "wal" && version === SCHEMA_VERSION;
    return { status: ok ? "ok" : "fail", detail: `SQLite archive created and migrated to schema v${version} (${mode})`, data: { schema_version: version, journal_mode: mode } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One check per endpoint and model that some role uses: reachable, model present, completes, calls tools. */
async function checkEndpoints(config: Config, env: Record<string, string | undefined>): Promise<Check[]> {
  const wanted = new Map<string, { endpoint: string; model: string; roles: string[] }>();
  for (const role of ROLE_NAMES)
    for (const t of roleConfig(config, role).targets) {
      const key = `${t.endpoint}\u0000${t.model}`;
      (wanted.get(key) ?? wanted.set(key, { endpoint: t.endpoint, model: t.model, roles: [] }).get(key)!).roles.push(role);
    }
  return Promise.all(
    [...wanted.values()].map(({ endpoint: name, model, roles }) =>
      timed(`endpoint ${name} ${model}`, async () => {
        const endpoint = config.endpoints[name]!;
        const apiKey = endpoint.api_key_env ? env[endpoint.api_key_env] : undefined;
        const probe = await probeEndpoint({ baseUrl: endpoint.base_url, apiKey, model, timeoutMs: Math.min(endpoint.timeout_ms, 30_000) });
        // Only the agent needs tools; a tool-less model is fine for the other roles.
        const toolsMatter = roles.includes("agent");
        const healthy = probe.reachable && probe.modelPresent && probe.completionOk && (probe.toolsOk || !toolsMatter);
        const detail = !probe.reachable
          ? `${endpoint.base_url} is not reachable`
          : `${endpoint.base_url} ${model}: listed ${probe.modelPresent ? "yes" : "no"}, completion ${probe.completionOk ? `ok in ${Math.round(probe.latencyMs)} ms` : "failed"}, tools ${probe.toolsOk ? "ok" : "no"} (roles: ${roles.join(", ")})`;
        const local = /127\.0\.0\.1:11434|localhost:11434/.test(endpoint.base_url);
        const fix = !probe.reachable && local ? "start Ollama: ollama serve" : probe.fix;
        return { status: healthy ? ("ok" as const) : ("warn" as const), detail: probe.warnings.length && probe.reachable ? `${detail}; ${probe.warnings.join("; ")}` : detail, fix: healthy ? undefined : fix, data: { ...probe } };
      }),
    ),
  );
}
