# expect: forbidden
# kill(0, sig) signals the whole process group, which includes the host. SIGCONT is harmless if it
# got through; the sandbox must refuse it anyway.
import js
js.process.kill(0, 18)
