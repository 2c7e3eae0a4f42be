# expect: exception
# No LLM is configured in `sandbox run`: calls fail cleanly.
import llm, asyncio
await asyncio.gather(*[llm.chat("hi") for _ in range(200)])
