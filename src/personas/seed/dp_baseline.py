"""The "DP personas" baseline, built as the PPol reference's is (its structure, our wording): one direct
LLM call (system prompt, temperature 0.8, max(1,800, 700·n) tokens) writes n persona instructions that
are diverse across the four behaviours, for a text-messaging setting; no axes, no stages. A short answer
is padded by cycling the valid personas up to n, as the reference does."""

# EVOLVE-BLOCK-START
DIVERSITY_AXES = []

SYSTEM = """You write realistic, task-specific user personas for a simulator of task-oriented chats."""

PROMPT = """Write {n} distinct personas: roleplay instructions for the task context below. The simulated user already has the task context; your text is added next to it to shape demeanour and interaction style, never to replace or contradict the scenario's goals and facts.
The user and the agent talk through text messages in a chat.

## Task context
{context}

## Instructions
- Write plausible real users for exactly this scenario.
- Make the set diverse across behaviours such as terse, skeptical, frustrated and ambiguous.
- For each persona, write a 150-250 word roleplay instruction in the second person ("You ...") on HOW to
  play this person in this task: ground it in the task and the person; spell out concrete communication
  habits (wording, vocabulary, emotional markers, how they answer the agent's requests); keep every goal
  and fact of the task and vary only how the person pursues them; never mention simulations, benchmarks
  or AI.

Answer with JSON only, exactly {n} personas:
{{"personas": [{{"persona_id": "short_snake_case_name", "description": "what kind of user this is",
"expanded_instruction": "the full roleplay instruction"}}]}}"""


async def generate_personas_detailed(c, axes, n):
    schema = personas_schema(["persona_id", "description", "expanded_instruction"], None, n)
    answer = await call_llm_json(format_template(PROMPT, context=c.strip(), n=n), system=SYSTEM, temperature=0.8, max_tokens=max(1800, 700 * n), schema=schema)
    rows = answer.get("personas", []) if isinstance(answer, dict) else answer
    rows = [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []
    personas = []
    for i, row in enumerate(rows[:n]):
        text = str(row.get("expanded_instruction") or "").strip()
        if not text:
            continue
        personas.append(
            {
                "persona_id": str(row.get("persona_id") or f"dp{i + 1}"),
                "description": str(row.get("description") or ""),
                "axis_placement": {},
                "reasoning": "",
                "expanded_instruction": text,
            }
        )
    if not personas:
        raise ValueError("the answer has no persona with an instruction")
    valid = len(personas)
    while len(personas) < n:
        personas.append(dict(personas[(len(personas) - valid) % valid]))
    return personas
# EVOLVE-BLOCK-END
