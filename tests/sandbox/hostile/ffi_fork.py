# expect: forbidden
# bun:ffi straight to libc fork(): seccomp ends the process.
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"fork": {"args": [], "returns": "i32"}}'))
lib.symbols.fork()
