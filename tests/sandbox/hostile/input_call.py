# expect: exception
# input() has no terminal: stdin is closed for programs.
input("your password: ")
