# expect: ok
# Plant state for the next program: builtins, modules, files, pending tasks, JS globals.
import builtins, sys, types, asyncio, js
builtins.PPOL_LEAK = "builtins"
sys.modules["ppol_leak"] = types.ModuleType("ppol_leak")
with open("/tmp/ppol_leak.txt", "w") as f:
    f.write("file")
js.globalThis.ppolLeak = "js"
async def later():
    await asyncio.sleep(0.5)
    print("PPOL_LEAK pending task ran")
asyncio.ensure_future(later())
"planted"
