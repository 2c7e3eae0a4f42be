/** What every route handler gets: the archive handles, credentials, clock and the seams for later stages. */
import type { Context } from "hono";
import { fingerprint, type Features, meanFeatures } from "../fitness/index.ts";
import { userTurns } from "../model/index.ts";
import { getConversationSet, loadConversations, runNumbers, type RunNumbers, type Store } from "../store/index.ts";
import type { EvolveDashboardData } from "./pages/dashboard.tsx";
import type { Security } from "./security.ts";

export interface ServerDeps {
  /** Read-only handle: every page and read endpoint. */
  read: Store;
  /** Read-write handle for study answers and study creation only. */
  write: Store;
  security: Security;
  now: () => Date;
  /** How often the live stream looks for new commits. */
  pollMs: number;
  /** A fresh unguessable token (annotator links). */
  token: () => string;
  /** A seed for a study created from the UI (the CLI takes --seed). */
  seed: () => number;
  /** The evolve dashboard's data for a run, once the evolution engine's tables exist (migration 010). */
  evolveDashboard?: (store: Store, runId: string) => EvolveDashboardData | undefined;
}

/** An annotator's link under a base URL. */
export const linkFor = (base: string, token: string) => `${base.replace(/\/$/, "")}/s/${token}`;

/** The address the admin reached this server by: the base of the links the UI shows (not the bind address). */
export const requestBase = (c: Context) => new URL(c.req.url).origin;

export type AppEnv = { Variables: { deps: ServerDeps; admin: boolean } };
export type Ctx = Context<AppEnv>;

/** Another connection's commit changes PRAGMA data_version: the one signal caches and the live stream need. */
export function dataVersion(store: Store): number {
  return (store.db.query("PRAGMA data_version").get() as { data_version: number }).data_version;
}

const numbersCache = new WeakMap<Store, Map<string, { version: number; numbers: RunNumbers }>>();

/** A run's numbers, recomputed only after the archive changed (pages under load share one aggregate). */
export function cachedRunNumbers(store: Store, runId: string): RunNumbers {
  let cache = numbersCache.get(store);
  if (!cache) numbersCache.set(store, (cache = new Map()));
  const version = dataVersion(store);
  const hit = cache.get(runId);
  if (hit && hit.version === version) return hit.numbers;
  const numbers = runNumbers(store, runId);
  if (cache.size > 256) cache.clear();
  cache.set(runId, { version, numbers });
  return numbers;
}

const humanMeans = new WeakMap<Store, Map<string, { hash: string; mean: Features }>>();

/** Mean fingerprint of a stored set, computed once per content hash. */
export function humanMean(store: Store, set: string): Features | undefined {
  const row = getConversationSet(store, set);
  if (!row) return undefined;
  let cache = humanMeans.get(store);
  if (!cache) humanMeans.set(store, (cache = new Map()));
  const hit = cache.get(set);
  if (hit && hit.hash === row.content_hash) return hit.mean;
  const mean = meanFeatures(loadConversations(store, set).map((s) => fingerprint(userTurns(s.conversation))));
  cache.set(set, { hash: row.content_hash, mean });
  return mean;
}
