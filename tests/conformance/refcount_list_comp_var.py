# a comprehension variable does not leak into the module
import sys
x = []
l = [x for _ in range(3)]
print(sys.getrefcount(x))
del l
print(sys.getrefcount(x))
