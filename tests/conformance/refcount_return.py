# returning a local hands its reference to the caller
import sys
def make():
    obj = []
    return obj
r = make()
print(sys.getrefcount(r))
def ident(o):
    return o
s = ident(r)
print(sys.getrefcount(r))
