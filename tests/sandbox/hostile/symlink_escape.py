# expect: forbidden
# Create a symlink in the sandbox's own temp cwd pointing at a host file, then read through it.
import js
fs = js.process.getBuiltinModule("fs")
fs.symlinkSync("/etc/passwd", "link")
fs.readFileSync("link", "utf8")
