/** Shared bits for the LLM tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Clock, systemClock } from "../../src/llm/index.ts";
import { openStore, type Store } from "../../src/store/index.ts";

/** The real clock, remembering every sleep it was asked for (to check backoff without timing). */
export function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => systemClock.now(),
    // Timeout timers pass a signal; backoff and rate waits do not.
    sleep: (ms, signal) => (signal ? undefined : sleeps.push(ms), systemClock.sleep(ms, signal)),
  };
}

export function tmpArchive(): { path: string; open: () => Store } {
  const path = join(mkdtempSync(join(tmpdir(), "ppol-llm-")), "a.sqlite");
  return { path, open: () => openStore(path) };
}

export const TOOLS = [
  { type: "function" as const, function: { name: "find_user_id_by_email", description: "Find a user id by email.", parameters: { type: "object", properties: { email: { type: "string" } }, required: ["email"] } } },
  { type: "function" as const, function: { name: "get_order_details", description: "Get an order.", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } } },
];

export const ask = (content: string) => ({ messages: [{ role: "user" as const, content }] });
