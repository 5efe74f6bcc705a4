# instance sizes: managed dicts keep instances at 48 bytes (3.12)
import sys

class A:
    pass

class B:
    def __init__(self):
        self.a = 1
        self.b = 2
        self.c = 3

print(sys.getsizeof(A()))
print(sys.getsizeof(B()))
b = B()
print(sys.getrefcount(B))
print(sys.getsizeof(object()))
