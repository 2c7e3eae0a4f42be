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

const defaultTargets = [{ endpoint: "local", model: DEFAULT_MODEL, weight: 1 }];

export const Config = z
  .strictObject({
    defaults: RunDefaults.default(RunDefaults.parse({})),
    endpoints: z
      .record(z.string().regex(/^[A-Za-z0-9_-]+$/), EndpointConfig)
      .default({ local: EndpointConfig.parse({ base_url: DEFAULT_ENDPOINT_URL }) }),
    roles: z
      .strictObject(Object.fromEntries(ROLE_NAMES.map((r) => [r, RoleConfig.optional()])) as Record<RoleName, z.ZodOptional<typeof RoleConfig>>)
      .default({}),
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

/** A role's settings with the default applied when the file does not name it. */
export function roleConfig(config: Config, role: RoleName): RoleConfig {
  return config.roles[role] ?? { targets: defaultTargets.map((t) => ({ ...t })) };
}
