import { z } from "zod";

/** The LLM roles ppol routes calls for; each maps to one or more endpoint/model targets. */
export const ROLE_NAMES = ["mutator", "generator", "user", "agent", "judge", "reflector"] as const;
export const RoleName = z.enum(ROLE_NAMES);
export type RoleName = z.infer<typeof RoleName>;

export const DEFAULT_ENDPOINT_URL = "http://127.0.0.1:11434/v1";
export const DEFAULT_MODEL = "qwen3:8b";

export const EndpointConfig = z.strictObject({
  base_url: z.url({ protocol: /^https?$/ }),
  /** Name of the environment variable holding the API key; the key itself is never stored. */
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
  max_concurrency: z.int().positive().default(4),
  /** Requests per minute; 0 means no limit. */
  rpm: z.int().nonnegative().default(0),
  timeout_ms: z.int().positive().default(120_000),
  /** sdk: the openai SDK; fetch: plain fetch for non-streamed calls (less CPU per call; streams still use the SDK). */
  transport: z.enum(["sdk", "fetch"]).default("sdk"),
  /**
   * Send JSON roles' schemas as response_format json_schema (Ollama, vLLM, llama.cpp server, LM Studio
   * accept it). A server that answers 400 naming response_format is switched off for the run anyway.
   */
  structured_outputs: z.boolean().default(true),
});
export type EndpointConfig = z.infer<typeof EndpointConfig>;

export const RoleTarget = z.strictObject({
  endpoint: z.string().min(1),
  model: z.string().min(1),
  weight: z.number().positive().default(1),
});
export type RoleTarget = z.infer<typeof RoleTarget>;

export const RoleConfig = z.strictObject({
  targets: z.array(RoleTarget).min(1),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.int().positive().optional(),
});
export type RoleConfig = z.infer<typeof RoleConfig>;

export const LlmCacheMode = z.enum(["rw", "ro", "off"]);
export type LlmCacheMode = z.infer<typeof LlmCacheMode>;

export const RunDefaults = z.strictObject({
  /** The archive file. */
  db: z.string().min(1).default("ppol.sqlite"),
  /** rw: reuse identical LLM requests; ro: replay only, never touch the network; off: always call. */
  llm_cache: LlmCacheMode.default("rw"),
  seed: z.int().nonnegative().default(42),
  /** A τ² data directory laid out like upstream's data/tau2/domains; empty = use the archive. */
  tau2_data: z.string().default(""),
  concurrency: z.int().positive().default(8),
});

/** Price of a model, for cost accounting (USD per million tokens). */
export const ModelPrice = z.strictObject({
  input_per_mtok: z.number().nonnegative(),
  output_per_mtok: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Retries, circuit breaker, budgets and prices of the LLM layer (src/llm). */
export const LlmSettings = z.strictObject({
  /** Attempts per call, first one included (429, 5xx, connection errors, timeouts, unreadable bodies). */
  max_attempts: z.int().min(1).max(20).default(5),
  backoff_base_ms: z.int().positive().default(500),
  backoff_max_ms: z.int().positive().default(30_000),
  /** Consecutive failures that open an endpoint's circuit breaker, and how long it stays open. */
  breaker_failures: z.int().positive().default(5),
  breaker_cooldown_ms: z.int().positive().default(15_000),
  /** Stop starting LLM calls once this many tokens (0 = no limit) / this cost in USD (0 = no limit) are spent or in flight. */
  budget_tokens: z.int().nonnegative().default(0),
  budget_cost: z.number().nonnegative().default(0),
  /** Model name → price; models not listed cost 0. */
  prices: z.record(z.string().min(1), ModelPrice).default({}),
});
export type LlmSettings = z.infer<typeof LlmSettings>;

/** Fitness (src/fitness): which cue set fingerprints use; commands check the name (`--cues` overrides). */
export const FitnessSettings = z.strictObject({
  /** ref: the PPol reference's pattern banks; ppol-cues-1: ppol's own lists. */
  cues: z.string().min(1).default("ref"),
});
export type FitnessSettings = z.infer<typeof FitnessSettings>;

/**
 * `[evolve]`: the engine's and PPol's options (snake_case, e.g. iterations, islands, batch_size). Kept
 * loose here: their zod schemas (evolve EvolveOptions, evolve/ppol PpolOptions) are the single source of
 * the names and check them when `ppol evolve` reads the section.
 */
export const EvolveSection = z.record(z.string(), z.unknown());

const defaultTargets = [{ endpoint: "local", model: DEFAULT_MODEL, weight: 1 }];

export const Config = z
  .strictObject({
    // Function defaults: each parse gets its own objects (callers mutate the result, e.g. --endpoint).
    defaults: RunDefaults.default(() => RunDefaults.parse({})),
    endpoints: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+$/), EndpointConfig)
      .default(() => ({ local: EndpointConfig.parse({ base_url: DEFAULT_ENDPOINT_URL }) })),
    roles: z
      .strictObject(Object.fromEntries(ROLE_NAMES.map((r) => [r, RoleConfig.optional()])) as Record<RoleName, z.ZodOptional<typeof RoleConfig>>)
      .default(() => ({})),
    llm: LlmSettings.default(() => LlmSettings.parse({})),
    fitness: FitnessSettings.default(() => FitnessSettings.parse({})),
    evolve: EvolveSection.default(() => ({})),
  })
  .superRefine((config, ctx) => {
    for (const [role, roleConfig] of Object.entries(config.roles)) {
      roleConfig?.targets.forEach((target, i) => {
        if (!(target.endpoint in config.endpoints))
          ctx.addIssue({
            code: "custom",
            path: ["roles", role, "targets", i, "endpoint"],
            message: `unknown endpoint "${target.endpoint}" (defined: ${Object.keys(config.endpoints).join(", ") || "none"})`,
          });
      });
    }
  });
export type Config = z.infer<typeof Config>;

/**
 * Temperature of a role that sets none. The τ² user simulator and agent run at 0, as τ² and the PPol
 * reference run them; other roles leave it to the server (their callers pass their own).
 */
export const ROLE_DEFAULT_TEMPERATURE: Partial<Record<RoleName, number>> = { user: 0, agent: 0 };

/** A role's settings with the defaults applied (targets when the file does not name the role, temperature). */
export function roleConfig(config: Config, role: RoleName): RoleConfig {
  const rc = config.roles[role] ?? { targets: defaultTargets.map((t) => ({ ...t })) };
  const temperature = rc.temperature ?? ROLE_DEFAULT_TEMPERATURE[role];
  return temperature === undefined ? rc : { ...rc, temperature };
}
