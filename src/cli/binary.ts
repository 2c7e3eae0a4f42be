/**
 * Entry point of the compiled binary: the same CLI, with the Python runtime taken from the binary
 * itself. Modules load lazily so `ppol --version` does not pay for the whole program.
 */
import { embeddedAssets } from "../python/embedded.ts";
import "../server/assets.ts";

const first = process.argv[2];
if (first === "--version" || first === "-V") {
  const { versionLine } = await import("./version.ts");
  process.stdout.write(`${versionLine()}\n`);
} else {
  const { main } = await import("./main.ts");
  await main(embeddedAssets);
}
