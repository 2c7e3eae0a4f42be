# Host plumbing for persona generator programs (fixed: not part of what evolves).
# Run in the program's namespace before the program itself, so a program can call these by name.
import asyncio as _asyncio
import inspect as _inspect
import json as _json
import re as _re
import string as _string



class _BlankFormatter(_string.Formatter):
    """str.format where unknown or broken placeholders become empty strings instead of errors."""

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key] if key < len(args) else ""
        return kwargs.get(key, "")

    def get_field(self, field_name, args, kwargs):
        try:
            return super().get_field(field_name, args, kwargs)
        except (AttributeError, IndexError, KeyError, TypeError):
            return "", field_name

    def format_field(self, value, format_spec):
        try:
            return super().format_field(value, format_spec)
        except (ValueError, TypeError):
            return str(value)


_FORMATTER = _BlankFormatter()


def format_template(template, **values):
    """Fill {placeholders}; unknown ones (e.g. invented by a mutation) format as ''."""
    try:
        return _FORMATTER.vformat(str(template), (), values)
    except (ValueError, IndexError):
        # Unbalanced braces: substitute the known names literally and leave the rest.
        text = str(template)
        for key, value in values.items():
            text = text.replace("{" + key + "}", str(value))
        return text


def _balanced_span(text):
    """The first {...} or [...] span, tolerant of strings; an unterminated span runs to the end."""
    start = min([i for i in (text.find("{"), text.find("[")) if i >= 0], default=-1)
    if start < 0:
        return None
    stack, in_string, escaped = [], False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if stack and stack[-1] == ch:
                stack.pop()
            if not stack:
                return text[start : i + 1]
    # Truncated answer: close what is open.
    tail = '"' if in_string else ""
    return text[start:] + tail + "".join(reversed(stack))


def parse_json(text):
    """Parse JSON from an LLM answer: code fences, prose around it, trailing commas, smart quotes,
    Python literals and a truncated end are repaired. Raises ValueError when nothing usable is found."""
    if not isinstance(text, str):
        return text
    t = text.strip()
    t = _re.sub(r"^```[a-zA-Z]*\s*", "", t)
    t = _re.sub(r"\s*```\s*$", "", t)
    try:
        return _json.loads(t)
    except ValueError:
        pass
    span = _balanced_span(t)
    if span is None:
        raise ValueError("no JSON object or array in the answer")
    candidates = [span]
    fixed = span.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    fixed = _re.sub(r",\s*([}\]])", r"\1", fixed)
    candidates.append(fixed)
    candidates.append(_re.sub(r"\bTrue\b", "true", _re.sub(r"\bFalse\b", "false", _re.sub(r"\bNone\b", "null", fixed))))
    for c in candidates:
        try:
            return _json.loads(c)
        except ValueError:
            continue
    raise ValueError("the answer is not valid JSON, even after repair")


async def call_llm(prompt, *, system=None, temperature=0.7, max_tokens=None):
    """One chat call to the generator model; returns the reply text."""
    import llm as _llm  # the sandbox's host capability

    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    return await _llm.chat(messages, temperature=temperature, max_tokens=max_tokens)


async def call_llm_json(prompt, *, system=None, temperature=0.7, max_tokens=None, retries=1, schema=None):
    """A chat call whose answer must be JSON (matching the JSON Schema `schema` when given: the server is asked
    for structured output); repaired when possible, re-asked `retries` times otherwise."""
    import llm as _llm  # the sandbox's host capability

    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    last_error = None
    for _ in range(retries + 1):
        text = await _llm.chat(messages, temperature=temperature, max_tokens=max_tokens, json=schema if isinstance(schema, dict) else True)
        try:
            return parse_json(text)
        except ValueError as e:
            last_error = e
            messages = messages + [
                {"role": "assistant", "content": text[:4000]},
                {"role": "user", "content": f"That was not valid JSON ({e}). Answer again with only the JSON."},
            ]
    raise ValueError(f"no valid JSON after {retries + 1} attempts: {last_error}")


def personas_schema(fields, axes=None, n=None):
    """JSON Schema of {"personas": [...]} whose items have the string `fields` (and a boolean per axis under
    axis_placement when `axes` are given), for structured output; at least `n` items when n is given."""
    item = {"type": "object", "properties": {f: {"type": "string"} for f in fields}, "required": list(fields)}
    if axes:
        names = [a["behavior"] for a in axes if isinstance(a, dict) and a.get("behavior")]
        item["properties"]["axis_placement"] = {"type": "object", "properties": {b: {"type": "boolean"} for b in names}, "required": names}
        item["required"] = item["required"] + ["axis_placement"]
    personas = {"type": "array", "items": item}
    if n:
        personas["minItems"] = n
    return {"type": "object", "properties": {"personas": personas}, "required": ["personas"]}


def describe_axes(axes):
    """Axes as prompt text: one block per behaviour with its on/off playbooks."""
    lines = []
    for axis in axes or []:
        presence = axis.get("presence", {}) if isinstance(axis, dict) else {}
        lines.append(f"- {axis.get('behavior', '?')}: {axis.get('definition', '')}")
        lines.append(f"    when present: {presence.get('true', presence.get(True, ''))}")
        lines.append(f"    when absent: {presence.get('false', presence.get(False, ''))}")
    return "\n".join(lines)


def placement_bool(value):
    """An axis placement as a boolean: a bool, or a spelling of true ("true", "1", "yes", "on")."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")


def normalise_placement(placement, axes):
    """One boolean per axis name (missing ones false, unknown ones dropped), never a rejection."""
    placement = placement if isinstance(placement, dict) else {}
    names = [str(a.get("behavior", "")).strip() for a in axes or [] if isinstance(a, dict)]
    return {name: placement_bool(placement.get(name)) for name in names if name}


def describe_active(axes, placement):
    """The active axes of one persona as prompt text: each one's definition and its 'present' playbook."""
    lines = []
    for axis in axes or []:
        name = str(axis.get("behavior", "")).strip() if isinstance(axis, dict) else ""
        if not name or not placement_bool((placement or {}).get(name)):
            continue
        presence = axis.get("presence", {}) or {}
        lines.append(f"- {name}: {axis.get('definition', '')}")
        lines.append(f"    what this person does: {presence.get('true', presence.get(True, ''))}")
    return "\n".join(lines) or "- none in particular: an ordinary, neutral way of talking"


async def _ppol_generate(context, n):
    """Host entry point: run the program's generator on one task context."""
    axes = globals().get("DIVERSITY_AXES", [])
    result = generate_personas_detailed(context, axes, n)  # noqa: F821 (defined by the program)
    if _inspect.isawaitable(result):
        result = await result
    return {"axes": axes, "personas": result}
