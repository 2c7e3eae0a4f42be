# expect: exception
# Exit the sandbox process from JS without answering.
import js
js.process.exit(0)
