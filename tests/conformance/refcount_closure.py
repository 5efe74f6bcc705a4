# a closure cell holds the value once
import sys

def outer():
    data = []
    def inner():
        return len(data)
    print(sys.getrefcount(data))
    return inner

f = outer()
print(f())
print(f.__name__)
