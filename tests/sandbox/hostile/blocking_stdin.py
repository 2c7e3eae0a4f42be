# expect: timeout
# timeout-ms: 3000
# Blocking read on the process's fd 0 (the host channel) through the realm.
import js
fs = js.process.getBuiltinModule("fs")
buf = js.Uint8Array.new(1 << 20)
while True:
    fs.readSync(0, buf)
