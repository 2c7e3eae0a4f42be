# expect: forbidden
# System V shared memory is shared with every process of the machine (by key).
import js
ffi = await js.eval("import('bun:ffi')")
lib = ffi.dlopen("libc.so.6", js.JSON.parse('{"shmget": {"args": ["i32", "u64", "i32"], "returns": "i32"}}'))
shm = lib.symbols.shmget(0x50504F4C, 4096, 0o1600)
if shm < 0:
    raise PermissionError(f"shmget refused ({shm})")
shm
