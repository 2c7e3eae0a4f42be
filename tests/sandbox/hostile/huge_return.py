# expect: invalid_output
"x" * 50_000_000
