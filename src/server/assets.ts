/**
 * Every web asset, imported as files so `bun build --compile` embeds them in the binary (no CDN, works
 * air-gapped). The server answers /static/NAME only for the names listed here: there is no file-system
 * lookup, so no path can reach outside this list.
 */
import appJs from "../../web/app.js" with { type: "file" };
import styleCss from "../../web/style.css" with { type: "file" };
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "file" };
import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "file" };

export const WEB_ASSETS: Readonly<Record<string, { path: string; type: string }>> = {
  "style.css": { path: styleCss, type: "text/css; charset=utf-8" },
  "app.js": { path: appJs, type: "text/javascript; charset=utf-8" },
  "uPlot.min.css": { path: uplotCss, type: "text/css; charset=utf-8" },
  "uPlot.iife.min.js": { path: uplotJs, type: "text/javascript; charset=utf-8" },
};

const loaded = new Map<string, Uint8Array>();

/** The bytes of a listed asset (read once), or undefined for any other name. */
export async function webAsset(name: string): Promise<{ body: Uint8Array; type: string } | undefined> {
  if (!Object.hasOwn(WEB_ASSETS, name)) return undefined;
  const asset = WEB_ASSETS[name]!;
  let body = loaded.get(name);
  if (!body) loaded.set(name, (body = new Uint8Array(await Bun.file(asset.path).arrayBuffer())));
  return { body, type: asset.type };
}
