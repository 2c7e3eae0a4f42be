/**
 * A fake τ² conversation where personas matter: the agent asks for details; a user whose system prompt
 * carries a persona (BEHAVIORAL STYLE) answers tersely, the base user long and politely; both stop after a
 * few turns. Pipeline tests then see persona runs fingerprint apart from the base simulator.
 */
import { type FakeOpenAI, text } from "./fake-openai/index.ts";

export function scriptTerseAndPoliteUsers(fake: FakeOpenAI, polite: string): void {
  fake.reply({ role: "agent" }, text("Sure. Could you give me more details?"));
  const turns = (req: { body: { messages: unknown[] } }) => req.body.messages.length;
  fake.reply({ role: "user", system: /BEHAVIORAL STYLE/ }, (req) => text(turns(req) > 6 ? "ugh ok bye ###STOP###" : ["need to change flight", "why so slow", "idk the id", "ok fine"][turns(req) % 4]!));
  fake.reply({ role: "user" }, (req) => text(turns(req) > 6 ? "Thank you so much for your help today. ###STOP###" : polite));
}
