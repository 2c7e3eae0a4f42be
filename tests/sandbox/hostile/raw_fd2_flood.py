# expect: ok
# timeout-ms: 15000
# Bypass Python's capture: write 64 MB to the process's own stderr directly.
import js
chunk = "z" * (1 << 20)
for _ in range(64):
    js.process.stderr.write(chunk)
"done"
