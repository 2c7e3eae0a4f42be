# expect: forbidden|timeout
# timeout-ms: 3000
# HTTP to a server on the host (the test counts hits: there must be none). Bun's HTTP thread predates
# confinement; seccomp refuses its socket. The rejection is a Bun SystemError, which Python's await never
# receives (same quirk as bun_file_read.py), so the verdict may be the timeout.
import js
r = await js.fetch("http://127.0.0.1:__PORT__/leak")
await r.text()
