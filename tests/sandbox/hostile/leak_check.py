# expect: ok
# Runs after leak_plant.py: must see none of its state.
import builtins, sys, os, js, asyncio
found = []
if hasattr(builtins, "PPOL_LEAK"): found.append("builtins")
if "ppol_leak" in sys.modules: found.append("module")
if os.path.exists("/tmp/ppol_leak.txt"): found.append("file")
if getattr(js.globalThis, "ppolLeak", None) is not None: found.append("js global")
await asyncio.sleep(1)
{"found": found}
