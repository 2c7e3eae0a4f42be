# expect: ok
# Host environment variables through the realm: the sandbox process has none (canary must not appear).
import js
env = js.Object.fromEntries(js.Object.entries(js.process.env))
dict(env.to_py())
