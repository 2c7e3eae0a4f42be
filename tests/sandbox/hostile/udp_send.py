# expect: forbidden
# UDP is not covered by Landlock's TCP rules: seccomp refuses the socket.
import js
send = js.eval("""(port) => new Promise((resolve, reject) => {
  const s = process.getBuiltinModule('dgram').createSocket('udp4');
  s.on('error', reject);
  s.send('leak', port, '127.0.0.1', (err) => (err ? reject(err) : resolve('sent')));
})""")
await send(__PORT__)
