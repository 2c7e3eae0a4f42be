# expect: timeout
# An await that nothing will ever resolve.
import asyncio
await asyncio.get_event_loop().create_future()
