# an error in a function called with *args: the traceback
def f(a, b):
    return a + b
args = [1, "x"]
f(*args)
