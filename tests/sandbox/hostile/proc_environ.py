# expect: forbidden
# The parent's environment through /proc.
import js
fs = js.process.getBuiltinModule("fs")
fs.readFileSync("/proc/" + str(js.process.ppid) + "/environ", "latin1")
