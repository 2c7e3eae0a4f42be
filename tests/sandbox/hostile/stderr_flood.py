# expect: ok
# timeout-ms: 15000
import sys
line = "e" * 10_000
for _ in range(2_000):
    sys.stderr.write(line)
"done"
