# expect: forbidden
# node:child_process.execSync.
import js
cp = js.process.getBuiltinModule("child_process")
cp.execSync("id").toString()
