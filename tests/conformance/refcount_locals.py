# a function's locals and arguments hold references while it runs
import sys

def g(a):
    b = a
    c = [a]
    return sys.getrefcount(a)

def h(*args):
    return sys.getrefcount(args[0])

v = []
print(sys.getrefcount(v))
print(g(v))
print(h(v))
print(sys.getrefcount(v))
