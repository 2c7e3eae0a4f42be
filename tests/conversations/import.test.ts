import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { assignSplit, cleanTauUsiMessages, hashSplit, loadTaskSplits, normalizeText, parseConversations, parseFormat, readConversations, stripAgentMarkup, toJsonl } from "../../src/conversations/index.ts";
import { writeFileAtomic } from "../../src/files.ts";
import { type Conversation, userTurns } from "../../src/model/index.ts";
import { InputError, UsageError } from "../../src/errors.ts";
import { sharedPath, sharedTest } from "../support/shared.ts";

const FIX = resolve(import.meta.dir, "../fixtures/fitness");

describe("τ-USI export", () => {
  sharedTest("default (reference) preparation: only the leading setup turns go; /stop and \\reward stay as user text", () => {
    const cs = readConversations(sharedPath("fixtures/tau-usi-example.json"), "tau-usi");
    expect(cs.map((c) => [c.id, c.domain, c.task_id])).toEqual([["airline_901", "airline", "901"], ["retail_902_ann2", "retail", "902"]]);
    const a = cs[0]!;
    // The \tau line and the canvas turn (instructions + greeting) are the leading setup turns.
    expect(userTurns(a)).toEqual(["hi need to add a bag", "ana_ruiz_101 and its QX7T2B", "ugh fine, yes", "/stop", "\\reward"]);
    expect(a.messages[0]).toEqual({ role: "user", content: "hi need to add a bag" });
    expect(a.messages.find((m) => m.content.startsWith("I found it"))?.content).toBe("I found it. One extra checked bag costs $50. Shall I add it and charge your card on file?");
    const text = JSON.stringify(cs);
    for (const marker of ["<|", "<function", "\\\\tau", "Instruction"]) expect(text).not.toContain(marker);
    expect(userTurns(cs[1]!)).toEqual(["Cancel my order pls", "dont remember which one, maybe lee.k902@example.com?", "#W0000902. ordered by mistake", "yes", "/stop"]);
    expect(readConversations(sharedPath("fixtures/tau-usi-example.json"), "tau-usi", { domain: "retail" }).map((c) => c.id)).toEqual(["retail_902_ann2"]);
  });

  sharedTest("--strip-control: every control turn and the messages answering /stop and \\reward are removed", () => {
    const cs = readConversations(sharedPath("fixtures/tau-usi-example.json"), "tau-usi", { preparation: "strip-control" });
    const a = cs[0]!;
    expect(userTurns(a)).toEqual(["hi need to add a bag", "ana_ruiz_101 and its QX7T2B", "ugh fine, yes"]);
    expect(a.messages[0]).toEqual({ role: "assistant", content: "Hi there. How can I help you today?" });
    const text = JSON.stringify(cs);
    for (const marker of ["<|", "<function", "\\\\tau", "/stop", "\\\\reward", "Survey submitted", "Reward:", "Instruction"]) expect(text).not.toContain(marker);
    expect(userTurns(cs[1]!)).toEqual(["Cancel my order pls", "dont remember which one, maybe lee.k902@example.com?", "#W0000902. ordered by mistake", "yes"]);
  });

  test("reference mode: setup turns count only while leading; fewer than 2 messages after them drops the conversation", () => {
    const conv = (messages: { role: string; content: string | null }[]) => JSON.stringify({ x_1: { conversation: messages } });
    const tau = { role: "user", content: "\\tau task_index:x-1 model:m" };
    const canvas = { role: "assistant", content: "<|canvas|>do X<|/canvas|>Hi!" };
    // Leading: both go. Later: a \tau line and a canvas message are ordinary turns (the canvas one loses its markup).
    const [c] = parseConversations(conv([tau, canvas, { role: "user", content: "hello" }, tau, canvas]), "tau-usi", "t.json");
    expect(c!.messages).toEqual([{ role: "user", content: "hello" }, { role: "user", content: "\\tau task_index:x-1 model:m" }, { role: "assistant", content: "Hi!" }]);
    // One message left after the setup turns: not a conversation for the reference; strip-control keeps it.
    expect(parseConversations(conv([tau, canvas, { role: "user", content: "hello" }]), "tau-usi", "t.json")).toEqual([]);
    expect(parseConversations(conv([tau, canvas, { role: "user", content: "hello" }]), "tau-usi", "t.json", { preparation: "strip-control" })).toHaveLength(1);
    // The count is the reference's: raw messages, empty ones included; a whitespace-only user turn is then dropped.
    const [d] = parseConversations(conv([tau, { role: "user", content: "  " }, { role: "assistant", content: null }]), "tau-usi", "t.json");
    expect(d!.messages).toEqual([]);
    // A tab where the export lost the backslash is not the reference's setup turn: it stays as text.
    expect(userTurns(parseConversations(conv([{ role: "user", content: "\tau task_index:x-1" }, { role: "user", content: "hi" }]), "tau-usi", "t.json")[0]!)).toEqual(["\tau task_index:x-1", "hi"]);
  });

  test("malformed markup: an unclosed block hides the rest; stray tags go", () => {
    expect(stripAgentMarkup("<|think|>plan<|/think|>Hello <function=x>\n<parameter=a>1</parameter>\n</function><|tool|>{}<|/tool|>there")).toBe("Hello there");
    expect(stripAgentMarkup("Sure.<|think|>never closed")).toBe("Sure.");
    expect(stripAgentMarkup("ok <|/tool|> done </function>")).toBe("ok  done");
  });

  test("strip-control: control turns and their answers are dropped, real turns after them are kept", () => {
    const out = cleanTauUsiMessages([
      { role: "user", content: "\\tau task_index:airline-1 model:m" },
      { role: "user", content: "\tau task_index:airline-1 model:m" }, // a tab: the export lost the backslash escape
      { role: "assistant", content: "<|canvas|>do X<|/canvas|>Hi!" },
      { role: "user", content: "\\reward" },
      { role: "assistant", content: "<|canvas|>do X<|/canvas|><|highlight|>Reward: 0.0<|/highlight|>" },
      { role: "user", content: "actually one more thing" },
      { role: "assistant", content: "Sure" },
      { role: "user", content: " /stop " },
      { role: "assistant", content: "<|survey|>{}<|/survey|>" },
      { role: "assistant", content: "Survey submitted!" },
    ], "strip-control");
    expect(out).toEqual([
      { role: "assistant", content: "Hi!" },
      { role: "user", content: "actually one more thing" },
      { role: "assistant", content: "Sure" },
    ]);
  });

  test("not an object keyed by instance id → one-line InputError naming the file", () => {
    expect(() => parseConversations("[1,2]", "tau-usi", "x.json")).toThrow(/x\.json: expected one JSON object/);
    expect(() => parseConversations("{nope", "tau-usi", "x.json")).toThrow(InputError);
  });
});

describe("τ-bench files", () => {
  sharedTest("trajectory list: 160 airline episodes with task ids, no system messages", () => {
    const cs = readConversations(sharedPath("corpora/tau-bench-sim/gpt-4o-airline.json"), "tau-bench");
    expect(cs).toHaveLength(160);
    expect(cs[0]!.domain).toBe("airline");
    expect(cs[0]!.task_id).toBe("0");
    expect(cs[0]!.source).toBe("simulator");
    expect(new Set(cs.map((c) => c.id)).size).toBe(160);
    expect(cs.every((c) => c.messages.every((m) => m.content !== ""))).toBe(true);
    expect(userTurns(cs[0]!)[0]).toBe("Hi! I'm looking to book a flight from New York to Seattle on May 20th.");
  });

  sharedTest("few-shot JSONL: messages_display lines, multi-line turns joined, 'None' placeholders dropped", () => {
    const cs = readConversations(sharedPath("corpora/tau-bench-sim/MockAirlineDomainEnv-few_shot.jsonl"), "tau-bench");
    expect(cs).toHaveLength(19);
    expect(cs[0]!.domain).toBe("airline");
    expect(cs[0]!.messages.some((m) => m.content === "None")).toBe(false);
    expect(userTurns(cs[0]!)[0]).toBe("Hi, I need to cancel my flights from MCO to CLT, please.");
    expect(readConversations(sharedPath("corpora/tau-bench-sim/MockRetailDomainEnv-few_shot.jsonl"), "tau-bench")).toHaveLength(69);
  });

  test("a few-shot line without messages_display names the line", () => {
    expect(() => parseConversations('{"messages_display": "user: hi"}\n{"x": 1}\n', "tau-bench", "f.jsonl")).toThrow(/f\.jsonl:2: field messages_display/);
  });
});

describe("MultiDoGO TSV", () => {
  test("customer turns grouped by conversation, ordered by turn number, quoted multi-line fields", () => {
    const cs = readConversations(join(FIX, "multidogo-mini.tsv"), "multidogo", { domain: "airline" });
    expect(cs.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(userTurns(cs[0]!)).toEqual(["hi", "i want to book a flight", 'say "hi" twice']);
    expect(userTurns(cs[1]!)).toEqual(["from hamburg ny \n to perth amboy nj", "thanks"]);
    expect(cs.every((c) => c.domain === "airline" && c.source === "human" && c.messages.every((m) => m.role === "user"))).toBe(true);
  });

  sharedTest("the airline corpus reads fully", () => {
    const train = readConversations(sharedPath("corpora/multidogo/airline/train.tsv"), "multidogo");
    expect(train.length).toBeGreaterThan(1000);
    expect(train[0]!.domain).toBe("airline");
  });

  test("missing header column → InputError naming file and column", () => {
    expect(() => parseConversations("a\tb\n1\t2\n", "multidogo", "m.tsv")).toThrow(/m\.tsv:1: missing column "conversationId"/);
  });
});

describe("JSONL interchange", () => {
  test("round trip through toJsonl keeps everything; unknown keys go to meta; numeric task ids become strings", () => {
    const dir = mkdtempSync(join(tmpdir(), "ppol-conv-"));
    const c: Conversation = { id: "r1", source: "human", domain: "retail", task_id: "74", messages: [{ role: "assistant", content: "Hi" }, { role: "user", content: "return pls" }], meta: { k: 1 } };
    writeFileAtomic(join(dir, "a.jsonl"), toJsonl([c]));
    expect(readConversations(join(dir, "a.jsonl"), "jsonl")).toEqual([c]);
    const [d] = parseConversations('{"id": 5, "task_id": 3, "messages": [], "extra": "x"}\n\n', "jsonl", "b.jsonl", { source: "simulator" });
    expect(d).toEqual({ id: "5", source: "simulator", task_id: "3", messages: [], meta: { extra: "x" } });
    expect(readFileSync(join(dir, "a.jsonl"), "utf8").split("\n")).toHaveLength(2);
  });

  test("bad lines name file, line and field", () => {
    expect(() => parseConversations('{"id": "a", "messages": []}\n{"id": "b", "messages": [{"role": "robot", "content": "x"}]}', "jsonl", "e.jsonl")).toThrow(/e\.jsonl:2: field messages\.0\.role/);
    expect(() => parseConversations("{oops", "jsonl", "e.jsonl")).toThrow(/e\.jsonl:1: not valid JSON/);
    expect(() => parseConversations('{"messages": []}', "jsonl", "e.jsonl")).toThrow(/field id/);
  });

  test("unknown format is a UsageError with a suggestion; an unreadable file an InputError", () => {
    expect(() => parseFormat("multidog")).toThrow(UsageError);
    expect(() => parseFormat("multidog")).toThrow(/did you mean "multidogo"/);
    expect(() => readConversations("/nonexistent/x.jsonl", "jsonl")).toThrow(/x\.jsonl: cannot read \(ENOENT\)/);
  });
});

describe("normalisation and splits", () => {
  test("lower-case, punctuation deleted (not spaced), whitespace collapsed; idempotent", () => {
    expect(normalizeText("Hi!  I don't — know... #W123, e-mail: A.B@C.com")).toBe("hi i dont know w123 email abccom"); // like MultiDoGO: "melnikmaccom"
    const once = normalizeText("Hello, World?!");
    expect(normalizeText(once)).toBe(once);
  });

  test("hash split is per task, stable, about 1 in 5 to test", () => {
    const a = { id: "airline_3", domain: "airline", task_id: "3" };
    const b = { id: "airline_3_ann2", domain: "airline", task_id: "3" };
    expect(hashSplit(a)).toBe(hashSplit(b));
    const sides = Array.from({ length: 1000 }, (_, i) => hashSplit({ id: `conv-${i}` }));
    const test = sides.filter((s) => s === "test").length;
    expect(test).toBeGreaterThan(150);
    expect(test).toBeLessThan(250);
  });

  sharedTest("tau2 rule uses split_tasks.json and falls back to hash outside it", () => {
    const splits = loadTaskSplits(sharedPath("tau2"), ["airline", "retail"]);
    const conv = (task_id: string): Conversation => ({ id: `airline_${task_id}`, source: "human", domain: "airline", task_id, messages: [], meta: {} });
    expect(assignSplit(conv("2"), "tau2", splits)).toBe("test");
    expect(assignSplit(conv("0"), "tau2", splits)).toBe("train");
    expect(assignSplit(conv("9999"), "tau2", splits)).toBe(hashSplit(conv("9999")));
    expect(assignSplit(conv("2"), "train", splits)).toBe("train");
  });
});
