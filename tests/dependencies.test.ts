/** The folder graph (.dependency-cruiser.cjs) holds, and a forbidden import makes it fail by rule name. */
import { describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const DEPCRUISE = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

function cruise(cwd: string): { code: number; out: string } {
  const p = Bun.spawnSync(["node", DEPCRUISE, "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { cwd, stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode, out: p.stdout.toString() + p.stderr.toString() };
}

/** A copy of the project's src and rules in a temp folder, to plant imports in. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), "ppol-deps-"));
  for (const f of ["src", "web", ".dependency-cruiser.cjs", "tsconfig.json", "package.json"]) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

describe("dependency rules", () => {
  test("the source tree follows them", () => {
    const r = cruise(ROOT);
    expect(r.out).toContain("no dependency violations found");
    expect(r.code).toBe(0);
  });

  const planted: [rule: string, file: string, line: string][] = [
    ["store-knows-no-stage", "src/store/planted.ts", 'import { fingerprint } from "../fitness/index.ts";\nexport const x = fingerprint;\n'],
    ["fitness-and-tau2-do-no-io", "src/fitness/planted.ts", 'import { createLlm } from "../llm/index.ts";\nexport const x = createLlm;\n'],
    ["fitness-and-tau2-do-no-io", "src/tau2/planted.ts", 'import { openStore } from "../store/index.ts";\nexport const x = openStore;\n'],
    ["nothing-imports-cli", "src/sim/planted.ts", 'import { COMMANDS } from "../cli/registry.ts";\nexport const x = COMMANDS;\n'],
    ["through-index-only", "src/sim/planted2.ts", 'import { fingerprint } from "../fitness/fingerprint.ts";\nexport const x = fingerprint;\n'],
  ];
  for (const [rule, file, line] of planted) {
    test(`a planted ${file} breaks ${rule}`, () => {
      const dir = copy();
      writeFileSync(join(dir, file), line);
      const r = cruise(dir);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain(`error ${rule}: ${file}`);
    }, 60_000);
  }
});
