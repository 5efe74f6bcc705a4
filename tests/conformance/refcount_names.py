# getrefcount as names, containers and calls add references
import sys

x = object()
print(sys.getrefcount(x))
y = x
print(sys.getrefcount(x))
l = [x, x, x]
print(sys.getrefcount(x))
t = (x, y)
print(sys.getrefcount(x))
d = {"a": x}
print(sys.getrefcount(x))
del l
print(sys.getrefcount(x))
d.clear()
print(sys.getrefcount(x))
del t, y
print(sys.getrefcount(x))
