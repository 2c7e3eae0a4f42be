/** The conversation file formats ppol reads (the dialogue model itself is src/model). */
import { z } from "zod";

export const FORMATS = ["jsonl", "tau-usi", "tau-bench", "multidogo", "tau2-results"] as const;
export const Format = z.enum(FORMATS);
export type Format = z.infer<typeof Format>;
