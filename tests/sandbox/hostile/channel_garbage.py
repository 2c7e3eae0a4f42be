# expect: invalid_output
# Write garbage on the channel to the host (fd 1).
import js
js.process.stdout.write("this is not a protocol message\n")
import asyncio
await asyncio.sleep(1)
