# expect: forbidden
# pyodide_js: Pyodide's own JS API, whose FS wrapper is backed by the host fs.
import pyodide_js
api = pyodide_js
fs = api.constructor.constructor("return process.getBuiltinModule('node:fs')")()
fs.readFileSync("/proc/1/cmdline")
