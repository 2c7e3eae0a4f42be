# expect: forbidden|timeout
# timeout-ms: 3000
# Bun.file reads on an I/O thread that existed before confinement: seccomp (TSYNC) refuses the open;
# Bun may then never settle the promise, in which case the wall-clock timeout kills the process.
import js
await js.Bun.file("/etc/passwd").text()
