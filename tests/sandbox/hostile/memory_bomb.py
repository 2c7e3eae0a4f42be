# expect: memory
# timeout-ms: 20000
blocks = []
while True:
    blocks.append(bytearray(64 * 1024 * 1024))
