# expect: forbidden
# ctypes (when the build has it) to call libc.
import ctypes
libc = ctypes.CDLL(None)
libc.system(b"id")
