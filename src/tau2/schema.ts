/** zod schemas for τ² task files (the DB schemas live with each domain's data model), and the domain names. */
import { z } from "zod";

export const DOMAIN_NAMES = ["retail", "airline"] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

export const Action = z.object({
  action_id: z.string(),
  requestor: z.enum(["assistant", "user"]).default("assistant"),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  info: z.string().nullish(),
  compare_args: z.array(z.string()).nullish(),
});
export type Action = z.infer<typeof Action>;

const REWARD_TYPES = ["DB", "ENV_ASSERTION", "NL_ASSERTION", "ACTION", "COMMUNICATE"] as const;
export type RewardType = (typeof REWARD_TYPES)[number];

export const EvaluationCriteria = z.object({
  actions: z.array(Action).nullish(),
  env_assertions: z.array(z.unknown()).nullish(),
  communicate_info: z.array(z.string()).nullish(),
  nl_assertions: z.array(z.string()).nullish(),
  // Upstream default when absent: [DB, COMMUNICATE].
  reward_basis: z.array(z.enum(REWARD_TYPES)).default(["DB", "COMMUNICATE"]),
});
export type EvaluationCriteria = z.infer<typeof EvaluationCriteria>;

export const Instructions = z.object({
  domain: z.string(),
  reason_for_call: z.string(),
  known_info: z.string().nullish(),
  unknown_info: z.string().nullish(),
  task_instructions: z.string(),
});

export type Instructions = z.infer<typeof Instructions>;

/** What the user simulator is given: an optional persona and the instructions (structured or free text). */
export const UserScenario = z.object({ persona: z.string().nullish(), instructions: z.union([Instructions, z.string()]) });
export type UserScenario = z.infer<typeof UserScenario>;

export const Task = z.object({
  id: z.string(),
  description: z.object({ purpose: z.string().nullish(), relevant_policies: z.string().nullish(), notes: z.string().nullish() }).nullish(),
  user_scenario: UserScenario,
  initial_state: z.unknown().nullish(),
  evaluation_criteria: EvaluationCriteria.nullish(),
  issues: z.array(z.record(z.string(), z.unknown())).nullish(),
  annotations: z.unknown().nullish(),
});
export type Task = z.infer<typeof Task>;

export const Tasks = z.array(Task);
export const Splits = z.record(z.string(), z.array(z.string()));
export type Splits = z.infer<typeof Splits>;
