# two independent cycles
import gc
gc.collect()
a = []
b = []
a.append(b)
b.append(a)
c = {}
c["c"] = c
del a, b, c
print(gc.collect())
