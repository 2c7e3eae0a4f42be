# expect: forbidden
# The granted host function itself leads to the realm's Function.
import _ppol_host
F = _ppol_host.chat.constructor
fn = F("return process.getBuiltinModule('fs').readdirSync('/')")
list(fn())
