# expect: exception|timeout
# timeout-ms: 5000
# Lift the recursion limit and blow the real stack (RecursionError, stack overflow, or slow death).
import sys
sys.setrecursionlimit(10**9)
def f(n):
    return f(n + 1) + 1
f(0)
