# an instance with many attributes
import sys
class A:
    pass
a = A()
for i in range(10):
    setattr(a, "attr" + str(i), i)
print(sys.getsizeof(a))
print(len([k for k in range(10)]))
