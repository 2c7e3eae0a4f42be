# expect: forbidden
# A sandbox started by root keeps CAP_SYS_TIME unless seccomp refuses clock changes. Sets the clock to
# the time it already has (a no-op), so even a failure of the sandbox changes nothing visible.
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"clock_gettime": {"args": ["i32", "ptr"], "returns": "i32"}, "clock_settime": {"args": ["i32", "ptr"], "returns": "i32"}}'))
ts = js.BigInt64Array.new(2)
lib.symbols.clock_gettime(0, ffi.ptr(ts))
rc = lib.symbols.clock_settime(0, ffi.ptr(ts))
if rc != 0:
    raise PermissionError(f"clock_settime refused ({rc})")
rc
