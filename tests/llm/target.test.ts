/** A request can pin one of its role's targets (the evolve mutator bandit needs this). */
import { expect, test } from "bun:test";
import { Config } from "../../src/config/schema.ts";
import { exitCodeOf } from "../../src/errors.ts";
import { createLlm } from "../../src/llm/index.ts";
import { startFakeOpenAI } from "../support/fake-openai.ts";
import { ask, tmpArchive } from "./_helpers.ts";

async function twoModels() {
  const fake = await startFakeOpenAI({ models: ["small", "big"] });
  fake.reply({}, (req) => `from ${req.model}`);
  const base = fake.config();
  const config = Config.parse({ ...base, roles: { ...base.roles, mutator: { targets: [{ endpoint: "fake", model: "small", weight: 1000 }, { endpoint: "fake", model: "big", weight: 0.001 }] } } });
  return { fake, config };
}

test("target pins the model; unset keeps the weighted choice", async () => {
  const { fake, config } = await twoModels();
  const llm = createLlm({ config, cacheMode: "off", env: {} });
  const pinned = await Promise.all([0, 1, 2].map((i) => llm.chat("mutator", { ...ask(`p${i}`), target: 1 })));
  expect(pinned.map((r) => r.model)).toEqual(["big", "big", "big"]);
  expect(pinned.map((r) => r.content)).toEqual(["from big", "from big", "from big"]);
  const weighted = await llm.chat("mutator", ask("w"));
  expect(weighted.model).toBe("small");
  await llm.close();
  await fake.stop();
});

test("rw reuses only answers of the pinned target's model; the hash ignores the target", async () => {
  const { fake, config } = await twoModels();
  const archive = tmpArchive();
  const store = archive.open();
  const llm = createLlm({ config, store, cacheMode: "rw", env: {} });
  const a = await llm.chat("mutator", { ...ask("same"), sample: 0, target: 0 });
  const b = await llm.chat("mutator", { ...ask("same"), sample: 0, target: 1 });
  const c = await llm.chat("mutator", { ...ask("same"), sample: 0, target: 1 });
  expect(a.requestHash).toBe(b.requestHash);
  expect([a.content, b.content, c.content]).toEqual(["from small", "from big", "from big"]);
  expect([a.cached, b.cached, c.cached]).toEqual([false, false, true]);
  await llm.close();
  store.close();
  await fake.stop();
});

test("a target index the role does not have is exit 2 naming the role", async () => {
  const { fake, config } = await twoModels();
  const llm = createLlm({ config, cacheMode: "off", env: {} });
  const error = await llm.chat("mutator", { ...ask("x"), target: 2 }).catch((e) => e);
  expect(exitCodeOf(error)).toBe(2);
  expect(error.message).toContain("mutator request: target 2 does not exist (role mutator has 2 targets)");
  expect(fake.requests).toHaveLength(0);
  await llm.close();
  await fake.stop();
});
