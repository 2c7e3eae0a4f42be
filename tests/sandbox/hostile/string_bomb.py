# expect: memory
# timeout-ms: 20000
b"x" * (2**31 - 64)
