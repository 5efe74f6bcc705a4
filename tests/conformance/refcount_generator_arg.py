# a generator's argument is held by its frame
import sys
def g(o):
    yield o
x = []
gen = g(x)
print(sys.getrefcount(x))
next(gen)
print(sys.getrefcount(x))
del gen
print(sys.getrefcount(x))
