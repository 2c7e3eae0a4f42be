# expect: forbidden
# bun:ffi to libc socket(AF_INET, SOCK_DGRAM): a raw socket around every JS-level check.
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"socket": {"args": ["i32", "i32", "i32"], "returns": "i32"}}'))
fd = lib.symbols.socket(2, 2, 0)
if fd < 0:
    raise PermissionError(f"socket() refused (returned {fd})")
fd
