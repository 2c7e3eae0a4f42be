# expect: forbidden
# bun:ffi to libc system() (fork + exec).
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"system": {"args": ["cstring"], "returns": "i32"}}'))
cmd = js.eval("new TextEncoder().encode('touch /tmp/ppol-hostile-ffi.txt\\0')")
rc = lib.symbols.system(cmd)
if rc != 0:
    raise PermissionError(f"system() failed ({rc})")
rc
