/**
 * `bun run bench -- NAME [args]`: runs bench/NAME.ts, which prints its measurements and the ratios
 * against their goals. Benchmarks measure side by side in one run; tests never assert on time.
 */
import { readdirSync } from "node:fs";

const available = readdirSync(import.meta.dir)
  .filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: bun run bench -- <${available.join("|")}>${name ? ` (unknown benchmark "${name}")` : ""}`);
  process.exit(2);
}
process.argv = [process.argv[0]!, `${import.meta.dir}/${name}.ts`, ...rest];
await import(`./${name}.ts`);
