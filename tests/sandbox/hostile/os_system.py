# expect: forbidden
import os
os.system("touch /tmp/ppol-hostile-os-system.txt")
