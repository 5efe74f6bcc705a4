# instance attributes hold references
import sys
class Box:
    pass
v = []
b = Box()
b.item = v
print(sys.getrefcount(v))
b.item2 = v
print(sys.getrefcount(v))
del b.item
print(sys.getrefcount(v))
del b
print(sys.getrefcount(v))
