# expect: memory
# timeout-ms: 20000
# Allocate on the JS heap instead of the Python heap.
import js
js.eval("globalThis.hog = []; for (;;) globalThis.hog.push(new Float64Array(8 << 20).fill(1))")
