# reference §9.1: a function argument adds a reference; object() alone has 1
import sys

def f(o):
    return sys.getrefcount(o)

x = []
print(sys.getrefcount(x))
print(f(x))
print(sys.getrefcount(object()))
print(sys.getrefcount(None))
