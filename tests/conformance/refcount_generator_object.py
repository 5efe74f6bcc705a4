# references to a generator object
import sys
def g():
    yield 1
it = g()
print(sys.getrefcount(it))
lst = [it]
print(sys.getrefcount(it))
