# expect: forbidden
# Listen for connections.
import js
server = js.eval("Bun.serve({port: 0, fetch: () => new Response('hi')})")
server.port
