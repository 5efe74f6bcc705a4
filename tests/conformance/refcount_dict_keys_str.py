# values stored under several keys
import sys
v = object()
d = {"a": v, "b": v, "c": v}
print(sys.getrefcount(v))
d.pop("a")
print(sys.getrefcount(v))
