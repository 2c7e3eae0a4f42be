# expect: forbidden
# Signal the host process (Landlock scopes signals to the sandbox).
import js
js.process.kill(js.process.ppid, 9)
