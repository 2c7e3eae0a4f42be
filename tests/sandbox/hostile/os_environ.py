# expect: ok
# Python's os.environ is Pyodide's emulated one: no host variables (canary must not appear).
import os
dict(os.environ)
