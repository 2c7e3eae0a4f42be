# expect: forbidden
# bun:ffi ptrace(PTRACE_ATTACH) on the host process.
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"ptrace": {"args": ["i64", "i32", "ptr", "ptr"], "returns": "i64"}}'))
rc = lib.symbols.ptrace(16, js.process.ppid, None, None)
if rc != 0:
    raise PermissionError(f"ptrace refused ({rc})")
rc
