"""The "DP personas" baseline: one direct LLM call writes n persona instructions; no axes, no stages."""

# EVOLVE-BLOCK-START
DIVERSITY_AXES = []

PROMPT = """Here is what a customer contacting customer service wants:
{context}

Write {n} different persona instructions for this customer. Each is 150-250 words in the second person
("You ...") describing how this person communicates, while keeping every goal and fact of the task.
Never mention simulations, benchmarks, roleplay or AI.

Answer with JSON only: {{"personas": [{{"description": "one sentence", "expanded_instruction": "..."}}]}}"""


async def generate_personas_detailed(c, axes, n):
    answer = await call_llm_json(format_template(PROMPT, context=c, n=n), temperature=0.8)
    personas = answer.get("personas", []) if isinstance(answer, dict) else answer
    if not isinstance(personas, list) or len(personas) < n:
        raise ValueError(f"expected {n} personas, got {len(personas) if isinstance(personas, list) else 'none'}")
    return [
        {
            "persona_id": f"dp{i + 1}",
            "description": str(p.get("description", "")) if isinstance(p, dict) else "",
            "axis_placement": {},
            "reasoning": "",
            "expanded_instruction": str(p.get("expanded_instruction", "")) if isinstance(p, dict) else "",
        }
        for i, p in enumerate(personas[:n])
    ]
# EVOLVE-BLOCK-END
