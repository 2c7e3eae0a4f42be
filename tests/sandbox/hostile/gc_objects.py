# expect: forbidden
# Find JS proxies through gc.get_objects() (no `import js`) and climb to Function from one of them.
import gc
from pyodide.ffi import JsProxy
candidates = []
for o in gc.get_objects():
    if isinstance(o, dict):
        candidates += [v for v in list(o.values()) if isinstance(v, JsProxy)]
F = None
for p in candidates:
    try:
        F = p.constructor.constructor
        break
    except Exception:
        continue
F("return process.getBuiltinModule('fs').readFileSync('/etc/passwd', 'utf8')")()
