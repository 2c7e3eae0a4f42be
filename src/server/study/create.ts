/**
 * `ppol study create` and the UI's study form: load the human set and every --from source, draw the
 * balanced blinded items, store the study and return one secret link token per annotator.
 */
import { z } from "zod";
import type { Conversation } from "../../model/index.ts";
import { InputError } from "../../errors.ts";
import { createRng } from "../../rng.ts";
import { conversationSources } from "../../conversations/index.ts";
import { getConversationSet, getStudy, loadConversations, saveStudy, type Store } from "../../store/index.ts";
import { annotatorOrders, drawItems, type Pool } from "./assign.ts";
import { blindMessages } from "./blind.ts";
import { HUMAN_CONDITION } from "./results.ts";

export const StudyPlan = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "letters, digits, . _ - (up to 64), starting with a letter or digit"),
  humans: z.string().min(1),
  from: z.array(z.string().min(1)).min(1, "at least one --from RUN|SET"),
  n: z.int().min(2).max(10_000).default(87),
  annotators: z.int().min(1).max(1_000).default(16),
  seed: z.int().default(42),
});
export type StudyPlan = z.input<typeof StudyPlan>;

export interface StudyDeps {
  now: Date;
  /** A fresh unguessable link token (crypto random in production). */
  token: () => string;
}

/** 128 random bits, URL-safe: every token has the same length. */
export function randomToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
}

const pool = (condition: string, conversations: Conversation[]): Pool => ({ condition, candidates: conversations.map((c) => ({ ref: c.id, messages: blindMessages(c) })) });

export function createStudy(store: Store, input: StudyPlan, deps: StudyDeps): { name: string; items: number; links: { annotator: number; token: string }[] } {
  const parsed = StudyPlan.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`study: ${issue.path.join(".") || "plan"}: ${issue.message}`, "see `ppol study create --help`");
  }
  const plan = parsed.data;
  if (getStudy(store, plan.name)) throw new InputError(`a study named "${plan.name}" already exists`, "choose another --name");
  const humans = getConversationSet(store, plan.humans);
  if (!humans || humans.kind !== "human") throw new InputError(`--humans "${plan.humans}" is not a stored human conversation set`, "import one with `ppol human import FILE --format F --name NAME`");
  if (new Set(plan.from).size !== plan.from.length || plan.from.includes(HUMAN_CONDITION)) throw new InputError("--from: each source once, and not named \"human\"", "list distinct runs or sets");
  const sources = conversationSources({ store: () => store });
  const pools = [
    pool(HUMAN_CONDITION, loadConversations(store, plan.humans).map((s) => s.conversation)),
    // Annotators see dialogue, not control tokens; a form on the server names sets and runs, never files.
    ...plan.from.map((spec) => pool(spec, sources.resolve(spec, { preparation: "strip-control" }).conversations)),
  ];
  const rng = createRng(plan.seed);
  const items = drawItems(pools, plan.n, rng);
  const orders = annotatorOrders(items.length, plan.annotators, rng);
  const annotators = orders.map((order, i) => ({ annotator: i + 1, token: deps.token(), order }));
  saveStudy(store, { name: plan.name, humanSet: plan.humans, sources: plan.from, seed: plan.seed, items, annotators, now: deps.now });
  return { name: plan.name, items: items.length, links: annotators.map(({ annotator, token }) => ({ annotator, token })) };
}
