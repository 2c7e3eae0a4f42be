# expect: invalid_output
{"score": float("nan")}
