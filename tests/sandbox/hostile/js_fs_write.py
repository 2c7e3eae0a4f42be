# expect: forbidden
# Write a file on the host through the JS realm.
import js
fs = await js.eval("import('node:fs')")
fs.writeFileSync(js.process.getBuiltinModule("os").tmpdir() + "/ppol-hostile-canary.txt", "pwned")
