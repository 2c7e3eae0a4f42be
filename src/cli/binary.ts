/** Entry point of the compiled binary: the same CLI, with the Python runtime taken from the binary itself. */
import { embeddedAssets } from "../python/embedded.ts";
import "../server/assets.ts";
import { main } from "./main.ts";

await main(embeddedAssets);
