# expect: forbidden
# tgkill on the host's main thread through bun:ffi (signal 0: only checks permission).
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"syscall": {"args": ["i64", "i64", "i64", "i64"], "returns": "i64"}}'))
ppid = js.process.ppid
rc = lib.symbols.syscall(234, ppid, ppid, 0)
if rc != 0:
    raise PermissionError(f"tgkill on the host refused ({rc})")
rc
