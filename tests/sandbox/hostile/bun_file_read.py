# expect: forbidden|timeout
# timeout-ms: 3000
# Bun.file reads on an I/O thread that existed before confinement: seccomp (TSYNC) refuses the open.
# Python awaiting a promise that Bun rejects with a SystemError never resumes (a Pyodide/Bun quirk, seen
# unconfined too, e.g. for a missing file), so the wall-clock timeout is what ends it.
import js
await js.Bun.file("/etc/passwd").text()
