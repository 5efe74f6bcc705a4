# instances hold a reference to their class
import sys
class A:
    pass
print(sys.getrefcount(A))
a = A()
print(sys.getrefcount(A))
b = A()
print(sys.getrefcount(A))
del a, b
print(sys.getrefcount(A))
