# expect: timeout
# timeout-ms: 3000
# Not an attack: awaiting a Bun fs promise that rejects (here: a file that does not exist, denied or
# not) never resumes in Pyodide, confined or not. Pinned so a fix upstream shows up as a changed verdict.
import js
fs = js.process.getBuiltinModule("fs")
await fs.promises.readFile("/nonexistent-ppol-file", "utf8")
