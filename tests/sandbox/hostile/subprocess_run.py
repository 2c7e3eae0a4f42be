# expect: forbidden
import subprocess
subprocess.run(["ls", "/"], capture_output=True)
