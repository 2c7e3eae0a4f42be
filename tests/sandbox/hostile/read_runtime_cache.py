# expect: forbidden
# Even the Pyodide cache the sandbox booted from is no longer readable.
import js
fs = js.process.getBuiltinModule("fs")
list(fs.readdirSync(js.process.cwd() + "/.."))
