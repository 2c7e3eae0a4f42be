# expect: forbidden
# bun:ffi prlimit64 on the host process (a same-user process could otherwise shrink its limits).
# Only READS the host's limit, so a failure of the sandbox cannot harm the test run.
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"syscall": {"args": ["i64", "i64", "i64", "ptr", "ptr"], "returns": "i64"}}'))
buf = js.BigUint64Array.new(2)
rc = lib.symbols.syscall(302, js.process.ppid, 4, None, ffi.ptr(buf))
if rc != 0:
    raise PermissionError(f"prlimit64 on the host refused ({rc})")
str(buf[0])
