# expect: exception|timeout|memory
# timeout-ms: 5000
# Lift the recursion limit and blow the real stack: RecursionError, a stack overflow, slow death, or the
# memory cap (frames are heap-allocated) — whichever comes first; each is containment.
import sys
sys.setrecursionlimit(10**9)
def f(n):
    return f(n + 1) + 1
f(0)
