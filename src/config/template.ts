import { Config, DEFAULT_ENDPOINT_URL, DEFAULT_MODEL, ROLE_DEFAULT_TEMPERATURE, ROLE_NAMES } from "./schema.ts";

/** The commented ppol.toml that `ppol init` writes: every default, spelled out. */
export function renderDefaultToml(): string {
  const d = Config.parse({});
  const endpoint = d.endpoints.local!;
  const roles = ROLE_NAMES.map(
    (role) => `# [roles.${role}]
# temperature = 0.7        # omit: ${ROLE_DEFAULT_TEMPERATURE[role] !== undefined ? `${ROLE_DEFAULT_TEMPERATURE[role]} (as τ² and the PPol reference)` : "the server's default"}
# max_tokens = 2048
# [[roles.${role}.targets]]
# endpoint = "local"
# model = "${DEFAULT_MODEL}"
# weight = 1               # several targets: weighted random choice per call`,
  ).join("\n\n");
  return `# ppol configuration. Precedence (lowest first): built-in defaults < this file < PPOL_* environment
# variables < command-line flags. \`ppol config show\` prints the effective value of every key and its source.

[defaults]
db = "${d.defaults.db}"              # archive file (--db, PPOL_DB)
llm_cache = "${d.defaults.llm_cache}"                # rw: reuse identical requests; ro: replay only, no network; off (--llm-cache, PPOL_LLM_CACHE)
seed = ${d.defaults.seed}                        # (--seed, PPOL_SEED)
tau2_data = "${d.defaults.tau2_data}"                  # τ² data dir; empty = domains imported into the archive (--tau2-data, TAU2_DATA_DIR)
concurrency = ${d.defaults.concurrency}                  # episodes in flight (PPOL_CONCURRENCY)

# OpenAI-compatible servers. --endpoint URL / PPOL_ENDPOINT replaces them all with one, for every role.
[endpoints.local]
base_url = "${DEFAULT_ENDPOINT_URL}"   # Ollama; llama.cpp: http://127.0.0.1:8080/v1; vLLM: http://127.0.0.1:8000/v1
# api_key_env = "OPENAI_API_KEY"       # name of the variable holding the key (the key is never stored)
max_concurrency = ${endpoint.max_concurrency}                  # calls in flight to this server; more wait for a slot
rpm = ${endpoint.rpm}                              # requests per minute, 0 = unlimited
timeout_ms = ${endpoint.timeout_ms}
transport = "${endpoint.transport}"                 # sdk (openai SDK) | fetch (plain fetch, less CPU per call; streams use the SDK)
structured_outputs = ${endpoint.structured_outputs}           # JSON roles send their schema as response_format json_schema

# Roles: mutator, generator, user, agent, judge, reflector. Each role left out uses
# endpoint "local" with model "${DEFAULT_MODEL}"; --model NAME / PPOL_MODEL sets the model of every role.
${roles}

# LLM calls: retries (exponential backoff + jitter, Retry-After honoured), circuit breaker, budgets, prices.
[llm]
max_attempts = ${d.llm.max_attempts}                     # per call, the first included
backoff_base_ms = ${d.llm.backoff_base_ms}
backoff_max_ms = ${d.llm.backoff_max_ms}
breaker_failures = ${d.llm.breaker_failures}                 # consecutive failures that open an endpoint's breaker
breaker_cooldown_ms = ${d.llm.breaker_cooldown_ms}
budget_tokens = ${d.llm.budget_tokens}                    # stop starting calls at this many tokens spent + in flight (0 = no limit)
budget_cost = ${d.llm.budget_cost}                      # same, in USD from the price table (0 = no limit)
# [llm.prices."gpt-4.1"]
# input_per_mtok = 2.0         # USD per million prompt tokens
# output_per_mtok = 8.0

# Fitness: the behavioural fingerprint's cue set (--cues). A discriminator scores only fingerprints of its own set.
[fitness]
cues = "${d.fitness.cues}"                       # ref: the PPol reference's pattern banks (values equal the paper's) | ppol-cues-1: ppol's own lists

# Evolution (ppol evolve): the engine's and PPol's options, reference defaults shown; flags override them.
# Every key is listed by "ppol evolve --help"; an unknown key is refused with the nearest name.
[evolve]
# iterations = 70              # child slots in the run
# islands = 5
# objective = "scalar"         # scalar: the combined score | pareto: (HL, Cov, 1 - goal-fidelity flag rate)
# parallel = 1                 # children evaluated at once (never changes results)
# early_stop = 20              # evaluations without a new best train score
# batch_size = 5               # train tasks per evaluation (sliding batch)
# personas_schedule = [[1, 5], [2, 8], [3, 10]]   # [epoch, personas per task]
# personas_final = 10          # N_final: curriculum weights and validation personas per task
# train_max_steps = 20
# validation_max_steps = 30
`;
}
