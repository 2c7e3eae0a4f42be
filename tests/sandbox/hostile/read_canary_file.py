# expect: forbidden
# A file the test wrote on the host (its content must never show up in any output).
import js
fs = js.process.getBuiltinModule("fs")
fs.readFileSync("__CANARY_FILE__", "utf8")
