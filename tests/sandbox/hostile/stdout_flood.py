# expect: ok
# timeout-ms: 15000
# 20 MB of print(): the host keeps a capped amount.
line = "x" * 10_000
for _ in range(2_000):
    print(line)
"done"
