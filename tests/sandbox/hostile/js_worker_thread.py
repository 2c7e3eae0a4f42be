# expect: forbidden
# A JS Worker thread started inside the sandbox inherits the confinement.
import js
start = js.eval("""() => new Promise((resolve, reject) => {
  const code = "const fs = process.getBuiltinModule('fs'); postMessage(fs.readFileSync('/etc/passwd', 'utf8'))";
  const w = new Worker(URL.createObjectURL(new Blob([code])));
  w.onmessage = (e) => resolve(e.data);
  w.onerror = (e) => reject(new Error(e.message));
})""")
await start()
