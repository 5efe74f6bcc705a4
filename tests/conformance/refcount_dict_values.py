# dict values and keys hold references
import sys
k = "some key"
v = []
d = {}
d[k] = v
print(sys.getrefcount(v))
d2 = dict(d)
print(sys.getrefcount(v))
del d2
print(sys.getrefcount(v))
del d[k]
print(sys.getrefcount(v))
