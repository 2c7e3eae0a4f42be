"""PPol seed persona generator: place n personas on behaviour axes, then expand each into a roleplay
instruction grounded in the task. Built as the PPol reference's seed is (its structure, our wording):
a population call (system prompt, temperature 0.8, up to 8,000 tokens) and one expansion call per
persona (system prompt, temperature 0.7, up to 800 tokens) that sees each active axis's definition and
its "present" playbook; the population is asked for as structured output (a JSON Schema). Host plumbing
(call_llm_json, call_llm, format_template, personas_schema, describe_axes, describe_active,
normalise_placement, parse_json) is provided by ppol and is not part of this program."""
import asyncio

# EVOLVE-BLOCK-START
# Behaviours real people show in support chats. Add, drop or rewrite axes to reach more human personas.
DIVERSITY_AXES = [
    {
        "behavior": "terse",
        "definition": "Uses as few words as possible; clipped and abrupt, which can read as curt or unfriendly.",
        "presence": {
            "true": "Short fragments, little punctuation, skipped greetings, frequent grammar slips.",
            "false": "Wordy: long sentences, lots of punctuation, filler phrases or emojis.",
        },
    },
    {
        "behavior": "skeptical",
        "definition": "Does not take the agent's word for it; wants confirmation, reasons or evidence before agreeing to anything that matters.",
        "presence": {
            "true": "Questions claims and asks for proof or a double-check before each step.",
            "false": "Goes along with the agent's guidance without asking for proof.",
        },
    },
    {
        "behavior": "frustrated",
        "definition": "Annoyed or dissatisfied because the problem is not solved or expectations are not met.",
        "presence": {
            "true": "Accusing, aggressive, impolite; blunt and repeated demands to make the agent fix its mistakes.",
            "false": "Stays neutral and cooperative; any annoyance comes out in a mild tone.",
        },
    },
    {
        "behavior": "ambiguous",
        "definition": "Answers vaguely, partially or noncommittally instead of giving clear information.",
        "presence": {
            "true": "Holds back details, trails off, leaves answers open to interpretation; must be prompted for more.",
            "false": "Gives direct, complete information, though only when asked for it.",
        },
    },
]

POPULATION_SYSTEM = """You design believable, psychologically consistent people who contact an agent in a given task scenario. Do not assume how they communicate (chat, phone, form): the task context implies it."""

POPULATION_PROMPT = """Create exactly {n} distinct personas for the task scenario below.

## Behaviour axes
Each persona has each behaviour either on (true) or off (false):
{axes}

## Task context (the scenario every persona shares)
{context}

## Requirements
- Exactly {n} personas, each a plausible real person in this situation.
- Each persona is coherent: if two behaviours would clash in one person, switch on at most one of them.
- Spread the {n} personas over the axis space: different combinations, not variations of one profile.
- Describe each PERSON in 2-3 sentences (who they are, what is going on in their life) so that the
  placement feels natural; do not describe the configuration.

Answer with JSON only:
{{"personas": [{{"persona_id": "short_snake_case_name", "description": "2-3 sentences about this person",
"axis_placement": {{{axis_keys}}}, "reasoning": "one sentence on why these behaviours fit together"}}]}}
axis_placement must name every behaviour above, each true or false."""

EXPANSION_SYSTEM = """You write roleplay instructions that steer HOW a simulated user acts out a task scenario they already have. The person must come across as a real human, not as a script."""

EXPANSION_PROMPT = """Turn the behaviour profile below into concrete roleplay instructions. The simulated user already has the task context; your text is added next to it to shape demeanour and interaction style, never to replace or contradict the scenario's goals and facts.
Work out from the task context how the person communicates (text chat, phone call, form, ...) and match their register to it; when unclear, assume text chat.

## Task context
{context}

## Behaviour profile
Name: {persona_id}
Who they are: {description}

Active behaviours:
{active}

## What to write
150-250 words of roleplay instruction in the second person ("You ...") on HOW to play this person in this task:
1. Ground the persona in this task and this profile.
2. Spell out concrete communication habits: wording, vocabulary, typing habits, emotional markers, how
   they answer the agent's questions and requests.
3. Keep every goal and fact of the task; vary only how the person pursues them.
4. Stay in the world: never mention simulations, benchmarks or AI.

Answer with the instruction text only."""


async def _expand(context, persona, axes):
    prompt = format_template(
        EXPANSION_PROMPT,
        context=context,
        persona_id=persona.get("persona_id", "someone"),
        description=persona.get("description", "A real person."),
        active=describe_active(axes, persona.get("axis_placement")),
    )
    try:
        text = await call_llm(prompt, system=EXPANSION_SYSTEM, temperature=0.7, max_tokens=800)
    except Exception as e:  # reported for this persona only
        return {**persona, "expanded_instruction": "", "error": f"expansion failed: {e}"}
    return {**persona, "expanded_instruction": text.strip()}


async def generate_personas_detailed(c, axes, n):
    axis_keys = ", ".join(f'"{a["behavior"]}": true' for a in axes)
    prompt = format_template(POPULATION_PROMPT, context=c.strip(), axes=describe_axes(axes), n=n, axis_keys=axis_keys)
    schema = personas_schema(["persona_id", "description", "reasoning"], axes, n)
    population = await call_llm_json(prompt, system=POPULATION_SYSTEM, temperature=0.8, max_tokens=8000, schema=schema)
    personas = population.get("personas", []) if isinstance(population, dict) else population
    if not isinstance(personas, list):
        raise ValueError("population answer has no list of personas")
    personas = [p for p in personas if isinstance(p, dict)][:n]
    if len(personas) < n:
        raise ValueError(f"population stage produced {len(personas)} personas, {n} needed")
    for p in personas:
        p["axis_placement"] = normalise_placement(p.get("axis_placement"), axes)
    return await asyncio.gather(*[_expand(c, p, axes) for p in personas])
# EVOLVE-BLOCK-END
