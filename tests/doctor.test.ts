import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startFakeOpenAI, toolCall, type FakeOpenAI } from "./support/fake-openai/index.ts";
import { TEST_CACHE_ROOT } from "./support/python.ts";
import { runCli } from "./support/cli.ts";

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ["qwen3:8b", "tiny:1b"], noTools: ["tiny:1b"] });
  fake.reply({ tools: true }, toolCall("get_time", { city: "Paris" }));
});
afterAll(() => fake.stop());

async function doctor(args: string[]) {
  const { code, out, err } = await runCli(["doctor", "--json", ...args], { env: { PPOL_CACHE: TEST_CACHE_ROOT } });
  return { code, doc: out ? JSON.parse(out) : undefined, err };
}

const endpointChecks = (doc: any) => doc.checks.filter((c: any) => c.name.startsWith("endpoint"));

describe("doctor", () => {
  test("python, archive and cache pass, and a healthy endpoint with tools is ok", async () => {
    const { code, doc } = await doctor(["--endpoint", fake.baseUrl, "--model", "qwen3:8b"]);
    expect(code).toBe(0);
    const python = doc.checks.find((c: any) => c.name === "python");
    expect(python.status).toBe("ok");
    expect(python.data.ran).toBe(true);
    expect(python.data.result.sum_squares).toBe(332833500);
    expect(doc.checks.find((c: any) => c.name === "archive").status).toBe("ok");
    // This Linux x86-64 kernel has Landlock and seccomp (probes.md): untrusted programs can be confined.
    const sandbox = doc.checks.find((c: any) => c.name === "sandbox");
    expect(sandbox.data.confined).toBe(process.platform === "linux" && process.arch === "x64");
    expect(sandbox.status).toBe(sandbox.data.confined ? "ok" : "warn");
    const [endpoint] = endpointChecks(doc);
    expect(endpoint.status).toBe("ok");
    expect(endpoint.data.toolsOk).toBe(true);
    expect(endpoint.data.completionOk).toBe(true);
  });

  test("a model without tool support is a warning naming the problem, not a failure", async () => {
    const { code, doc } = await doctor(["--endpoint", fake.baseUrl, "--model", "tiny:1b"]);
    expect(code).toBe(0);
    const [endpoint] = endpointChecks(doc);
    expect(endpoint.status).toBe("warn");
    expect(endpoint.fix).toContain("does not support tools");
  });

  test("a missing model is a warning with the pull command", async () => {
    const { doc } = await doctor(["--endpoint", fake.baseUrl, "--model", "llama3.1:70b"]);
    const [endpoint] = endpointChecks(doc);
    expect(endpoint.status).toBe("warn");
    expect(endpoint.fix).toContain("ollama pull llama3.1:70b");
  });

  test("an unreachable server is a warning with the fix", async () => {
    const { code, doc } = await doctor(["--endpoint", "http://127.0.0.1:9/v1"]);
    expect(code).toBe(0);
    const [endpoint] = endpointChecks(doc);
    expect(endpoint.status).toBe("warn");
    expect(endpoint.data.reachable).toBe(false);
    expect(endpoint.fix).toBeTruthy();
  });

  test("--skip-endpoints contacts no server", async () => {
    const before = fake.requests.length;
    const { doc } = await doctor(["--skip-endpoints", "--endpoint", fake.baseUrl]);
    expect(endpointChecks(doc)).toEqual([]);
    expect(fake.requests.length).toBe(before);
  });
});
