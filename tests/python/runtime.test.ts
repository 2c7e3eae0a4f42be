import { describe, expect, test } from "bun:test";
import { sharedPython } from "../support/python.ts";

describe("python runtime", () => {
  test("runs code and returns the last expression as JSON-safe data", async () => {
    const py = await sharedPython();
    const r = await py.run("{'n': ppol_input['n'] * 2, 'xs': [1, 2.5, None, True], 's': 'é'}", { input: { n: 21 } });
    expect(r.value).toEqual({ n: 42, xs: [1, 2.5, null, true], s: "é" });
  });

  test("captures stdout and stderr per run", async () => {
    const py = await sharedPython();
    const r = await py.run("import sys\nprint('to out')\nprint('to err', file=sys.stderr)\n7");
    expect(r.stdout).toBe("to out\n");
    expect(r.stderr).toBe("to err\n");
    const next = await py.run("8");
    expect(next.stdout).toBe("");
  });

  test("caps output and says how much was dropped", async () => {
    const py = await sharedPython();
    const r = await py.run("print('y' * 5000)", { outputCap: 100 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.startsWith("y".repeat(100))).toBe(true);
    expect(r.stdout).toContain("4901 more bytes dropped");
  });

  test("calls functions defined earlier, awaiting async ones", async () => {
    const py = await sharedPython();
    await py.run("import asyncio\nasync def add(a, b):\n    await asyncio.sleep(0)\n    return {'sum': a + b}\ndef upper(s):\n    return s.upper()");
    expect((await py.call("add", [2, 3])).value).toEqual({ sum: 5 });
    expect((await py.call("upper", ["abc"])).value).toBe("ABC");
  });

  test("Python exceptions become PythonError with type and message", async () => {
    const py = await sharedPython();
    const error = await py.run("raise ValueError('bad persona')").catch((e) => e);
    expect(error.pythonType).toBe("ValueError");
    expect(error.message).toContain("bad persona");
    const missing = await py.call("no_such_function").catch((e) => e);
    expect(missing.pythonType).toBe("NameError");
  });

  test("values that are not JSON-safe are rejected, not silently mangled", async () => {
    const py = await sharedPython();
    expect((await py.run("float('nan')").catch((e) => e)).message).toContain("JSON-safe");
    expect((await py.run("object()").catch((e) => e)).message).toContain("JSON-safe");
  });

  test("host async functions registered as a module can be awaited concurrently", async () => {
    const py = await sharedPython();
    let inFlight = 0;
    let peak = 0;
    py.registerModule("hostlib", {
      slow: async (x: number) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await Bun.sleep(20);
        inFlight--;
        return x * 10;
      },
    });
    const r = await py.run("import asyncio, hostlib\nlist(await asyncio.gather(*[hostlib.slow(i) for i in range(5)]))");
    expect(r.value).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(5);
  });

  test("runs are serialised: concurrent runs each see only their own output", async () => {
    const py = await sharedPython();
    const results = await Promise.all([1, 2, 3].map((i) => py.run(`import asyncio\nprint('run${"${i}"}')\nawait asyncio.sleep(0.01)\nprint('end${"${i}"}')`.replaceAll("${i}", String(i)))));
    results.forEach((r, i) => expect(r.stdout).toBe(`run${i + 1}\nend${i + 1}\n`));
  });
});
