/**
 * The web UI: `startServer` (ppol serve), `createApp` (the Hono app over injected handles, for tests),
 * and the blinded study (design, statistics, results) shared with `ppol study`.
 */
export { ADMIN_COOKIE, createApp } from "./app.ts";
export { linkFor, type ServerDeps } from "./context.ts";
export { EvolveDashboardData } from "./pages/dashboard.tsx";
export { csrfToken, isLoopbackHost } from "./security.ts";
export { MIN_TOKEN_LENGTH, startServer, type RunningServer, type ServeOptions } from "./serve.ts";
export * from "./study/index.ts";
