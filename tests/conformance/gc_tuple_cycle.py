# a cycle through a tuple
import gc
gc.collect()
l = []
t = (l,)
l.append(t)
del l, t
print(gc.collect())
