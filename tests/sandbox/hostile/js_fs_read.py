# expect: forbidden
# Node's fs through the JS realm Pyodide runs in.
import js
fs = await js.eval("import('fs')")
fs.readFileSync("/etc/passwd", "utf8")
