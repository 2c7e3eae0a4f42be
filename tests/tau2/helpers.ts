import { resolve } from "node:path";
import { createEnvironment, loadDomainDir, type Domain, type Environment } from "../../src/tau2/index.ts";
import { toJs, type PyDict } from "../../src/tau2/py.ts";

export const FIXTURE_DIR = resolve(import.meta.dir, "../fixtures/tau2");
const cache = new Map<string, Domain>();
export function fixture(name: "retail" | "airline"): Domain {
  if (!cache.has(name)) cache.set(name, loadDomainDir(FIXTURE_DIR, name));
  return cache.get(name)!;
}
/** A fresh fixture environment. */
export const env = (name: "retail" | "airline"): Environment => createEnvironment(fixture(name));
/** Run a call and parse its JSON content (throws if the call errored). */
export function ok(e: Environment, name: string, args: unknown): any {
  const r = e.call(name, args);
  if (r.error) throw new Error(`unexpected error from ${name}: ${r.content}`);
  return r.content.startsWith("{") || r.content.startsWith("[") ? JSON.parse(r.content) : r.content;
}
/** Run a call that must fail; returns the message. */
export function err(e: Environment, name: string, args: unknown): string {
  const r = e.call(name, args);
  if (!r.error) throw new Error(`expected an error from ${name}, got ${r.content.slice(0, 200)}`);
  return r.content;
}
/** A record of the current state as plain JS. */
export const rec = (e: Environment, table: string, key: string): any => {
  const t = e.state.table(table);
  return t.has(key) ? toJs(t.get(key) as PyDict) : undefined;
};
