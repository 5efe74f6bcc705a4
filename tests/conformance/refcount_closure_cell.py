# a cell holds its value once, however many closures share it
import sys
def outer():
    v = []
    def a():
        return v
    def b():
        return v
    return a, b, v
a, b, v = outer()
print(sys.getrefcount(v))
