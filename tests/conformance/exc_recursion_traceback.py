# an uncaught RecursionError: repeated traceback lines are summarised
def f(n):
    return f(n + 1)
f(0)
