# expect: forbidden
# Watch a host directory for activity (file names of other programs' work).
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"inotify_init": {"args": [], "returns": "i32"}, "inotify_add_watch": {"args": ["i32", "cstring", "u32"], "returns": "i32"}}'))
fd = lib.symbols.inotify_init()
path = js.eval("new TextEncoder().encode('/tmp\\0')")
wd = lib.symbols.inotify_add_watch(fd, path, 0xFFF)
if wd < 0:
    raise PermissionError(f"inotify_add_watch refused ({wd})")
wd
