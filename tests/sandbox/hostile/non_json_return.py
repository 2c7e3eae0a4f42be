# expect: invalid_output
object()
