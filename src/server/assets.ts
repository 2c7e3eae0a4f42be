/**
 * Every web asset, imported as files so `bun build --compile` embeds them in the binary.
 * The Hono app serves them from these paths (node_modules-free, offline).
 */
import indexHtml from "../../web/index.html" with { type: "file" };
import styleCss from "../../web/style.css" with { type: "file" };

export const WEB_ASSETS: Readonly<Record<string, { path: string; type: string }>> = {
  // `with { type: "file" }` yields a path; TypeScript types .html imports as HTML bundles.
  "/": { path: indexHtml as unknown as string, type: "text/html; charset=utf-8" },
  "/static/style.css": { path: styleCss, type: "text/css; charset=utf-8" },
};
