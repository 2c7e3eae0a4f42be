/** Host-side Python helpers loaded once per runtime: JSON in/out for every call. */
export const HELPERS_PY = `
import json as _ppol_json
import inspect as _ppol_inspect

def _ppol_dump(value):
    try:
        return _ppol_json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise TypeError(f"result is not JSON-safe: {e}") from None

async def _ppol_invoke(fn, args_json):
    result = fn(*_ppol_json.loads(args_json))
    if _ppol_inspect.isawaitable(result):
        result = await result
    return _ppol_dump(result)
`;
