import { resolvePath } from "../files.ts";
import { UsageError } from "../errors.ts";
import { evolveDashboard } from "../report/index.ts";
import { randomToken, startServer } from "../server/index.ts";
import { defineCommand, intFlag, str } from "./command.ts";

export default defineCommand({
  name: "serve",
  summary: "the web UI: runs, episodes, programs, personas, human sets, LLM calls, blinded studies",
  usage: "ppol serve [--db PATH] [--port 7777] [--host 127.0.0.1] [--token SECRET|auto] [--open]",
  description:
    "Serves the archive read-only (a run may write to it at the same time: run pages update live) plus the study answers. " +
    "On a loopback host pages need no token; study pages and every change need the admin token, carried by the printed link. " +
    "Any other --host needs --token (16+ characters, or `auto` to generate one); every page then needs it. Stop with Ctrl-C.",
  options: {
    port: { type: "string", valueName: "N", description: "TCP port (default 7777; 0 picks a free one)" },
    host: { type: "string", valueName: "ADDR", description: "address to bind (default 127.0.0.1)" },
    token: { type: "string", valueName: "SECRET|auto", description: "admin token (required off loopback; auto generates one)" },
    open: { type: "boolean", description: "open the admin link in the default browser" },
  },
  examples: ["ppol serve", "ppol serve --db lab.sqlite --port 8080 --open", "ppol serve --host 0.0.0.0 --token auto   # on a lab network: share the printed link"],
  async run(ctx) {
    const port = intFlag(ctx.values, "port", { fallback: 7777, min: 0, max: 65535 });
    const host = str(ctx.values, "host") ?? "127.0.0.1";
    const tokenFlag = str(ctx.values, "token");
    if (tokenFlag === "") throw new UsageError("serve: --token is empty", "pass a secret of 16+ characters, or --token auto");
    const { config } = ctx.config();
    const server = startServer({
      db: resolvePath(ctx.cwd, config.defaults.db),
      host,
      port,
      token: tokenFlag === "auto" ? randomToken() : tokenFlag,
      evolveDashboard: (store, runId) => evolveDashboard(store, runId, config.llm.prices),
    });
    ctx.onExit(() => server.stop());
    ctx.io.out(`ppol serve: ${server.url}`);
    ctx.io.out(`admin link (studies, changes; keep it private): ${server.adminUrl}`);
    if (host === "0.0.0.0" || host === "::") ctx.io.out("(listening on every interface: others reach it by this machine's name or address in place of the bind address)");
    if (ctx.values.open) {
      const opener = process.platform === "darwin" ? "open" : "xdg-open";
      try {
        Bun.spawn([opener, server.adminUrl], { stdout: "ignore", stderr: "ignore" });
      } catch {
        ctx.io.err(`ppol serve: could not run ${opener}; open the admin link yourself`);
      }
    }
    const signal = ctx.signal;
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
    ctx.io.out("ppol serve: stopped");
  },
});
