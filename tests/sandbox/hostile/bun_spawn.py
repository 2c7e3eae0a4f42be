# expect: forbidden
# Start a host program from JS.
import js
from pyodide.ffi import to_js
p = js.Bun.spawnSync(to_js(["/bin/sh", "-c", "echo pwned > /tmp/ppol-hostile-spawn.txt"]))
p.exitCode
