/**
 * Answers a run takes from the cache are recorded under the run (llm_cache_hits, migration 15), in rw and
 * ro mode, once per run and request: what a run used is known even when another run asked the server.
 */
import { expect, test } from "bun:test";
import { createLlm } from "../../src/llm/index.ts";
import { createRun } from "../../src/store/index.ts";
import { startFakeOpenAI, text } from "../support/fake-openai.ts";
import { ask, tmpArchive } from "./_helpers.ts";

test("a cache hit is recorded under the run that took it, not under the run that asked", async () => {
  const fake = await startFakeOpenAI();
  fake.reply({ role: "judge" }, text("yes"));
  const store = tmpArchive().open();
  for (const id of ["first", "second", "third"]) createRun(store, { id, kind: "simulate", config: {}, version: "test", now: new Date() });
  const question = { ...ask("Is the sky blue?"), sample: 0 };

  const first = createLlm({ config: fake.config(), store, runId: "first", cacheMode: "rw", env: {} });
  const asked = await first.chat("judge", question);
  await first.close();
  const second = createLlm({ config: fake.config(), store, runId: "second", cacheMode: "rw", env: {} });
  expect((await second.chat("judge", question)).cached).toBe(true);
  expect((await second.chat("judge", question)).cached).toBe(true);
  await second.close();
  await fake.stop();
  const third = createLlm({ config: fake.config(), store, runId: "third", cacheMode: "ro", env: {} });
  expect((await third.chat("judge", question)).content).toBe("yes");
  await third.close();

  expect(fake.requests).toHaveLength(1);
  expect(store.db.query("SELECT run_id FROM llm_calls").all()).toEqual([{ run_id: "first" }]);
  expect(store.db.query("SELECT run_id, request_hash, role FROM llm_cache_hits ORDER BY run_id").all()).toEqual([
    { run_id: "second", request_hash: asked.requestHash, role: "judge" },
    { run_id: "third", request_hash: asked.requestHash, role: "judge" },
  ]);
  store.close();
});
