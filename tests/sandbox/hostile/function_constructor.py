# expect: forbidden
# Any JS object -> .constructor.constructor -> Function -> a builtin module.
import js
F = js.Object.constructor.constructor
read = F("return process.getBuiltinModule('fs').readFileSync('/etc/hostname', 'utf8')")
read()
