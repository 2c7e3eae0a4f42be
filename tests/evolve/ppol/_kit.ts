/**
 * A scripted world for PPol evolve runs against the fake server and the real τ² airline data. Every
 * reply is a pure function of its request, so any parallelism and any replay see the same answers:
 * - mutator: adds a new behaviour axis to the parent (a substantive change, not a near-duplicate),
 *   or misbehaves as scripted by the proposal's seed (a SEARCH that fails once, an identical child,
 *   a program that raises, one that never ends);
 * - generator: N personas for the population prompt, each with a communication style drawn from a hash
 *   of the prompt (so different programs make different personas), and an expansion naming the style;
 * - user simulator: talks in the persona's style (polite and formal without a persona), stops after two turns;
 * - agent and reflector: fixed texts.
 * The human reference is terse and casual, so the base simulator is easy to tell from it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SEED_PROGRAMS } from "../../../src/personas/index.ts";
import type { LoggedRequest, Reply } from "../../support/fake-openai/index.ts";
import { type FakeOpenAI } from "../../support/fake-openai/index.ts";
import { parentOf } from "../_kit.ts";

export const SEED = SEED_PROGRAMS.ppol!.code;
export type Behaviour = "bad_once" | "duplicate" | "raise" | "hang";

const hash = (s: string) => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
};

const edit = (search: string, replace: string) => `A change.\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n`;

const ANCHOR = "DIVERSITY_AXES = [";
const GENERATE = "async def generate_personas_detailed(c, axes, n):";

const WORDS = "abrupt apologetic bored brisk careful chatty cheerful clipped confused curt detailed distracted doubtful eager formal frantic gentle grumpy hasty hesitant impatient informal joking literal meandering nervous patient picky plain precise pushy quiet rambling rushed sarcastic shy skeptical sloppy stern terse tired trusting vague verbose warm wary weary".split(" ");

/** A behaviour axis whose words come from the seed, so two children share little text. */
function newAxis(seed: number): string {
  const words = (salt: number, n: number) => Array.from({ length: n }, (_, i) => WORDS[hash(`${seed}:${salt}:${i}`) % WORDS.length]).join(" ");
  return `${ANCHOR}
    {
        "behavior": "${words(0, 2).replace(" ", "_")}_${seed % 9973}",
        "definition": "${words(1, 14)}.",
        "presence": {
            "true": "${words(2, 12)}.",
            "false": "${words(3, 12)}.",
        },
    },`;
}

/** The mutator as a pure function of the request (its seed and the parent in the prompt). */
export function mutatorReply(script: ReadonlyMap<number, Behaviour> = new Map()) {
  return (req: LoggedRequest): Reply => {
    const seed = Number(req.body.seed);
    const parent = parentOf(req);
    const retry = req.last.startsWith("Your edit could not be applied");
    const behaviour = script.get(seed);
    const usage = { prompt: 200, completion: 40 };
    if (behaviour === "bad_once" && !retry) return { content: edit("DIVERSITY_AXES = (", "DIVERSITY_AXES = ["), usage };
    if (behaviour === "duplicate") return { content: edit(ANCHOR, ANCHOR), usage };
    if (!parent.includes(ANCHOR)) return { content: "I cannot find the axes.", usage };
    const body = behaviour === "raise" ? `\n    raise RuntimeError("persona generation broke on purpose")` : behaviour === "hang" ? `\n    while True:\n        pass` : "";
    return { content: `${edit(ANCHOR, newAxis(seed))}${body ? edit(GENERATE, `${GENERATE}${body}`) : ""}`, usage };
  };
}

export const STYLES = ["terse", "polite", "angry", "vague"] as const;

/** Population and expansion prompts of the seed program's shape. */
export function generatorReply(req: LoggedRequest): Reply {
  const all = req.body.messages.map((m: { content: string }) => m.content).join("\n");
  const n = /Create exactly (\d+) distinct personas/.exec(all);
  if (n) {
    const h = hash(all);
    const personas = Array.from({ length: Number(n[1]) }, (_, i) => ({
      persona_id: `person_${i + 1}`,
      description: `Someone in style ${STYLES[(h >>> (2 * i)) % STYLES.length]} who writes from a phone.`,
      axis_placement: {},
      reasoning: "fits",
    }));
    return { content: JSON.stringify({ personas }), usage: { prompt: 300, completion: 80 } };
  }
  const style = /in style (\w+) who/.exec(all)?.[1] ?? "polite";
  return { content: `You play this person in style ${style}. Style: ${style}. Keep every goal of the task; talk the way this person talks.`, usage: { prompt: 300, completion: 60 } };
}

const LINES: Record<string, [string, string]> = {
  terse: ["need 2 change flight", "ok thx"],
  polite: ["Hello, I would kindly like to change my reservation, please. Thank you so much for your help.", "Thank you very much, I really appreciate it."],
  angry: ["this is RIDICULOUS fix my booking now", "whatever. useless"],
  vague: ["um so theres this trip thing maybe", "i guess thats it idk"],
  base: ["Hello. I am writing regarding my reservation; furthermore, I would like to modify the flight dates, if possible.", "Thank you for your assistance; that resolves my request."],
};

/** The user simulator: the persona's style (formal without one; `every` overrides any persona's), two turns, then ###STOP###. */
export const userReply = (every?: string) => (req: LoggedRequest): Reply => {
  const persona = /Style: (\w+)/.exec(req.system)?.[1];
  const style = persona ? (every ?? persona) : "base";
  const own = req.body.messages.filter((m: { role: string }) => m.role === "assistant").length;
  const lines = LINES[style] ?? LINES.base!;
  return { content: own >= 2 ? "###STOP###" : lines[own]!, usage: { prompt: 500, completion: 12 } };
};

/** Wire the scripted world into a fake server; `everyPersona` makes every persona talk in one style (equal scores). */
export function script(fake: FakeOpenAI, mutations: ReadonlyMap<number, Behaviour> = new Map(), everyPersona?: string) {
  fake.reply({ role: "mutator" }, mutatorReply(mutations));
  fake.reply({ role: "generator" }, generatorReply);
  fake.reply({ role: "user" }, userReply(everyPersona));
  fake.reply({ role: "agent" }, { content: "Sure, I can help with that. Could you give me your user id?", usage: { prompt: 900, completion: 14 } });
  fake.reply({ role: "reflector" }, { content: "The users were too polite and too complete; prefer terse, casual personas with typos.", usage: { prompt: 1200, completion: 20 } });
}

/** 24 terse, casual human conversations (all on the train side with --split train). */
export function writeHumans(dir: string): string {
  const openers = ["hi need to change my flight", "cancel my trip pls", "hey my bag didnt arrive", "can u move my booking", "need refund", "wrong name on ticket", "where is my confirmation", "upgrade seat?"];
  const replies = ["ok", "yes", "thx", "its ZX99QW", "no", "fine whatever", "k thanks", "sure"];
  const lines = Array.from({ length: 24 }, (_, i) => {
    const messages = [
      { role: "assistant", content: "Hi! How can I help you today?" },
      { role: "user", content: openers[i % openers.length] },
      { role: "assistant", content: "Sure. Can you share your user id?" },
      { role: "user", content: `${replies[(i * 3) % replies.length]}${i % 3 === 0 ? " its mia_" + i : ""}` },
      ...(i % 2 ? [{ role: "assistant", content: "Done. Anything else?" }, { role: "user", content: replies[(i + 5) % replies.length] }] : []),
    ];
    return JSON.stringify({ id: `h${i}`, source: "human", domain: "airline", task_id: String(i % 5), messages, meta: {} });
  });
  const file = join(dir, "humans.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** A ppol.toml with a tiny run: the given [evolve] keys (TOML values as strings). */
export function writeConfig(dir: string, evolve: Record<string, string>): string {
  const file = join(dir, "ppol.toml");
  writeFileSync(file, `[evolve]\n${Object.entries(evolve).map(([k, v]) => `${k} = ${v}`).join("\n")}\n`);
  return file;
}
