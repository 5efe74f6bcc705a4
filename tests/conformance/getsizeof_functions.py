# function, method, class and generator sizes
import sys
def f():
    pass
class C:
    def m(self):
        pass
c = C()
print(sys.getsizeof(f))
print(sys.getsizeof(c.m))
print(sys.getsizeof(C))
def g():
    yield 1
print(sys.getsizeof(g()))
print(sys.getsizeof(range(10)))
