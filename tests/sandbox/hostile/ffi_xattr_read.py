# expect: forbidden
# Read extended attributes of a host file by path (not covered by Landlock's rights).
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"listxattr": {"args": ["cstring", "ptr", "u64"], "returns": "i64"}}'))
path = js.eval("new TextEncoder().encode('/etc/passwd\\0')")
buf = js.Uint8Array.new(4096)
n = lib.symbols.listxattr(path, ffi.ptr(buf), 4096)
if n < 0:
    raise PermissionError(f"listxattr refused ({n})")
n
