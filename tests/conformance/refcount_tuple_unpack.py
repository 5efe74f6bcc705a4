# unpacking a tuple
import sys
x = []
t = (x, x)
a, b = t
print(sys.getrefcount(x))
del t
print(sys.getrefcount(x))
