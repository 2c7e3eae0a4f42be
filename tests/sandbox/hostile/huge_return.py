# expect: invalid_output
# timeout-ms: 20000
# A 10 MB result, over the 4 MiB result cap.
"x" * 10_000_000
