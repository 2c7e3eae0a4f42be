# expect: ok
# Lying about its own result through the channel is possible and harmless: only this program's verdict changes.
import js
js.process.stdout.write('{"type":"done","id":1,"ok":true,"resultJson":"\\"forged\\"","stdout":"","stderr":""}\n')
raise RuntimeError("the real outcome")
