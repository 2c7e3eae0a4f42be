import { test } from "bun:test";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * The read-only `../shared` folder beside the project (τ² data, corpora, specs).
 * Tests that need it use `sharedTest`: without it they skip with a visible message, except under
 * CI=true, where a missing ../shared is a failure.
 */
export const SHARED_DIR = resolve(import.meta.dir, "../../../shared");
export const HAS_SHARED = existsSync(`${SHARED_DIR}/tau2/domains`);

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

let warned = false;
/** `test` for cases that read ../shared. */
export function sharedTest(name: string, fn: () => unknown | Promise<unknown>, timeout?: number) {
  if (HAS_SHARED) return test(name, fn as any, timeout);
  if (process.env.CI === "true") {
    return test(name, () => {
      throw new Error(`../shared is missing (looked in ${SHARED_DIR}); CI must have it beside the clone`);
    });
  }
  if (!warned) {
    warned = true;
    console.warn(`[tests] ../shared not found at ${SHARED_DIR}: tests that need it are SKIPPED`);
  }
  return test.skip(`${name} (needs ../shared)`, () => {});
}
