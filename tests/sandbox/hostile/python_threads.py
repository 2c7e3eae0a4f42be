# expect: exception
# Threads: Pyodide has none to start.
import threading
t = threading.Thread(target=lambda: None)
t.start()
