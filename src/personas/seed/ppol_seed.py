"""PPol seed persona generator: place n personas on behaviour axes, then expand each into a roleplay
instruction grounded in the task. Host plumbing (call_llm_json, call_llm, format_template, describe_axes,
parse_json) is provided by ppol and is not part of this program."""
import asyncio

# EVOLVE-BLOCK-START
DIVERSITY_AXES = [
    {
        "behavior": "terse",
        "definition": "Writes very short messages with little punctuation and occasional grammar slips.",
        "presence": {
            "true": "Answers in a few words, skips greetings, drops capitals and punctuation, makes small typos.",
            "false": "Writes complete sentences with normal punctuation.",
        },
    },
    {
        "behavior": "skeptical",
        "definition": "Doubts what the agent says and asks for proof or confirmation.",
        "presence": {
            "true": "Questions claims, asks 'are you sure?', wants details confirmed before agreeing.",
            "false": "Accepts the agent's statements at face value.",
        },
    },
    {
        "behavior": "frustrated",
        "definition": "Is impatient and irritated by delays or mistakes.",
        "presence": {
            "true": "Sounds blunt or accusatory, repeats demands, complains about waiting or being asked again.",
            "false": "Stays calm and patient even when things go wrong.",
        },
    },
    {
        "behavior": "ambiguous",
        "definition": "Gives vague or incomplete information and needs prompting.",
        "presence": {
            "true": "Withholds details until asked, trails off, describes things loosely, needs follow-up questions.",
            "false": "States what they need clearly and gives details when asked.",
        },
    },
]

POPULATION_PROMPT = """You design realistic customers for a customer-service conversation.

Task context (what the customer wants; keep it fixed):
{context}

Behaviour axes (each persona has each behaviour either present or absent):
{axes}

Create exactly {n} distinct personas for this customer. Rules:
- Spread the personas over the axis space: different combinations of present/absent behaviours.
- Each persona must be coherent: do not switch on two behaviours that clash for this person.
- They differ only in HOW they communicate, never in WHAT they want or know.
- Real people are often brief, impatient, unsure or sloppy; avoid the polite, complete, ideal customer.

Answer with JSON only:
{{"personas": [{{"persona_id": "p1", "description": "2-3 sentences on who this person is and how they talk",
"axis_placement": {{{axis_keys}}}, "reasoning": "one line on why this combination is plausible"}}]}}"""

EXPANSION_PROMPT = """Write the roleplay instruction for a person contacting customer service.

The task (every goal, preference and fact below must stay exactly as given):
{context}

Who they are: {description}
Behaviours present: {present}
Behaviours absent: {absent}

Write 150-250 words in the second person ("You ..."). Describe concretely how this person writes:
typical wording and sentence length, typing habits (typos, capitalisation, punctuation), emotional
markers, how they react to questions, delays and mistakes, how they answer when the agent asks for
information, and how gradually they reveal details. Keep every goal and fact of the task; vary only how
they are pursued. Never mention simulations, benchmarks, roleplay, personas or AI. Output only the
instruction text."""


async def _expand(context, persona, axes):
    placement = persona.get("axis_placement") or {}
    names = [a["behavior"] for a in axes]
    present = [b for b in names if placement.get(b) is True]
    absent = [b for b in names if placement.get(b) is not True]
    prompt = format_template(
        EXPANSION_PROMPT,
        context=context,
        description=persona.get("description", ""),
        present=", ".join(present) or "none",
        absent=", ".join(absent) or "none",
    )
    try:
        text = await call_llm(prompt, temperature=0.7)
    except Exception as e:  # reported for this persona only
        return {**persona, "expanded_instruction": "", "error": f"expansion failed: {e}"}
    return {**persona, "expanded_instruction": text.strip()}


async def generate_personas_detailed(c, axes, n):
    axis_keys = ", ".join(f'"{a["behavior"]}": true' for a in axes)
    prompt = format_template(POPULATION_PROMPT, context=c, axes=describe_axes(axes), n=n, axis_keys=axis_keys)
    population = await call_llm_json(prompt, temperature=0.8)
    personas = population.get("personas", []) if isinstance(population, dict) else population
    if not isinstance(personas, list):
        raise ValueError("population answer has no list of personas")
    personas = [p if isinstance(p, dict) else {"error": f"not an object: {p!r}"[:200]} for p in personas]
    if len(personas) < n:
        raise ValueError(f"population stage produced {len(personas)} personas, {n} needed")
    personas = personas[:n]
    return await asyncio.gather(*[_expand(c, p, axes) for p in personas])
# EVOLVE-BLOCK-END
