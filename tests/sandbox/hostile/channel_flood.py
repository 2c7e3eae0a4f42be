# expect: invalid_output
# timeout-ms: 20000
# One endless line on the host channel.
import js
chunk = "{" * (1 << 20)
for _ in range(100):
    js.process.stdout.write(chunk)
import asyncio
await asyncio.sleep(2)
