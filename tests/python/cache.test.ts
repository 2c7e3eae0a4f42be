import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 } from "../../src/hash.ts";
import { cacheRoot, ensureRuntimeDir, nodeModulesAssets } from "../../src/python/index.ts";

const fresh = () => mkdtempSync(join(tmpdir(), "ppol-cache-"));

describe("runtime cache", () => {
  test("unpacks once into a versioned dir with a sha256 manifest, then reuses it", () => {
    const root = fresh();
    const assets = nodeModulesAssets();
    const first = ensureRuntimeDir(root, assets);
    expect(first.unpacked).toBe(true);
    expect(first.dir).toEndWith(`pyodide-${assets.version}`);
    const manifest = JSON.parse(readFileSync(join(first.dir, "manifest.json"), "utf8"));
    expect(manifest.files["python_stdlib.zip"]).toBe(sha256(readFileSync(assets.files["python_stdlib.zip"].path)));
    expect(ensureRuntimeDir(root, assets).unpacked).toBe(false);
    // No staging leftovers.
    expect(readdirSync(root).filter((f) => f.startsWith("."))).toEqual([]);
  });

  test("a damaged file is detected and repaired", () => {
    const root = fresh();
    const assets = nodeModulesAssets();
    const { dir } = ensureRuntimeDir(root, assets);
    truncateSync(join(dir, "pyodide.asm.wasm"), 1000);
    const again = ensureRuntimeDir(root, assets);
    expect(again.repaired).toBe(true);
    expect(sha256(readFileSync(join(dir, "pyodide.asm.wasm")))).toBe(sha256(readFileSync(assets.files["pyodide.asm.wasm"].path)));
  });

  test("a garbage manifest is repaired too", () => {
    const root = fresh();
    const assets = nodeModulesAssets();
    const { dir } = ensureRuntimeDir(root, assets);
    writeFileSync(join(dir, "manifest.json"), "{not json");
    expect(ensureRuntimeDir(root, assets).repaired).toBe(true);
    expect(existsSync(join(dir, "manifest.json"))).toBe(true);
  });

  test("embedded assets whose hash does not match their manifest are refused", () => {
    const root = fresh();
    const assets = nodeModulesAssets();
    const lying = { ...assets, files: Object.fromEntries(Object.entries(assets.files).map(([k, v]) => [k, { ...v, sha256: "0".repeat(64) }])) as typeof assets.files };
    expect(() => ensureRuntimeDir(root, lying)).toThrow(/damaged/);
  });

  test("cache root follows PPOL_CACHE, then XDG_CACHE_HOME, then HOME", () => {
    expect(cacheRoot({ PPOL_CACHE: "/x/c", XDG_CACHE_HOME: "/y", HOME: "/z" })).toBe("/x/c");
    expect(cacheRoot({ XDG_CACHE_HOME: "/y", HOME: "/z" })).toBe("/y/ppol");
    const home = fresh();
    expect(cacheRoot({ HOME: home })).toBe(join(home, ".cache", "ppol"));
    expect(cacheRoot({})).toStartWith(tmpdir());
  });
});
