# a default value is held by the function's defaults tuple
import sys
d = []
def f(x=d):
    return x
print(sys.getrefcount(d))
r = f()
print(sys.getrefcount(d))
del f
print(sys.getrefcount(d))
