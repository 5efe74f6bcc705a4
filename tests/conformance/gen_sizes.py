# generator objects are small; their frame size depends on the body
import sys

def g1():
    yield 1

def g2(a, b, c):
    x = a + b
    yield x
    yield c

print(sys.getsizeof(g1()))
print(sys.getsizeof(g2(1, 2, 3)))
print(type(g1()).__name__)
print(sys.getsizeof([i for i in range(100)]))
