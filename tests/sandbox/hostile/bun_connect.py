# expect: forbidden|exception
# Raw TCP through Bun.connect (the test's server counts hits: there must be none). Bun reports the
# refused socket as a bare "Failed to connect", so the verdict may be a plain exception.
import js
connect = js.eval("(port) => Bun.connect({hostname: '127.0.0.1', port, socket: {data() {}}})")
sock = await connect(__PORT__)
sock.write("GET /leak HTTP/1.0\r\n\r\n")
