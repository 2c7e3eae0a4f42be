# expect: forbidden
# bun:ffi setpriority on the host process (same user may lower its priority). Sets the host's current
# nice value again, so even a failure of the sandbox changes nothing.
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"getpriority": {"args": ["i32", "u32"], "returns": "i32"}, "setpriority": {"args": ["i32", "u32", "i32"], "returns": "i32"}}'))
nice = lib.symbols.getpriority(0, js.process.ppid)
rc = lib.symbols.setpriority(0, js.process.ppid, nice)
if rc != 0:
    raise PermissionError(f"setpriority on the host refused ({rc})")
nice
