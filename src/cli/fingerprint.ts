import { FORMATS } from "../conversations/index.ts";
import { fingerprintFile } from "../fitness/index.ts";
import { defineCommand, str } from "./command.ts";
import { CUES_OPTION, cueSetOf, preparationOf, sourcesOf, STRIP_CONTROL_OPTION } from "./fitness-args.ts";

export default defineCommand({
  name: "fingerprint",
  summary: "print the 19-feature behavioural fingerprint of each conversation in a file",
  usage: "ppol fingerprint FILE [--format F] [--domain D] [--cues ref|ppol-cues-1] [--strip-control] [--normalize]",
  description:
    "One JSON line per conversation: {\"id\", \"features\": {words_per_turn, …}}, computed from user turns only. " +
    "A conversation with no user turns gets all 19 features 0. With the default cue set (ref) and preparation, the values are the PPol reference's.",
  options: {
    format: { type: "string", valueName: FORMATS.join("|"), description: "file format (default: guessed from the name and content)" },
    domain: { type: "string", valueName: "D", description: "keep only this domain (τ-USI) / domain to record" },
    ...CUES_OPTION,
    ...STRIP_CONTROL_OPTION,
    normalize: { type: "boolean", description: "lower-case and delete punctuation first (to compare with MultiDoGO)" },
  },
  positionals: { min: 1, max: 1, names: "FILE" },
  examples: [
    "ppol fingerprint ../shared/fixtures/tau-usi-example.json --format tau-usi",
    "ppol fingerprint episodes.jsonl --cues ppol-cues-1 --strip-control",
  ],
  run(ctx) {
    const [format, domain] = [str(ctx.values, "format"), str(ctx.values, "domain")];
    const rows = fingerprintFile(sourcesOf(ctx), ctx.positionals[0]!, {
      ...(format ? { format } : {}),
      ...(domain ? { domain } : {}),
      preparation: preparationOf(ctx),
      cues: cueSetOf(ctx),
      normalize: ctx.values.normalize === true,
    });
    for (const row of rows) ctx.io.out(JSON.stringify(row));
  },
});
