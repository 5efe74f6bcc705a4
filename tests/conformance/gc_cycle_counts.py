# gc.collect() counts the unreachable objects of cycles
import gc

class Node:
    pass

gc.collect()
a = Node()
b = Node()
a.other = b
b.other = a
del a, b
print(gc.collect())
l = []
l.append(l)
d = {}
d["self"] = d
del l, d
print(gc.collect())
print(gc.collect())
