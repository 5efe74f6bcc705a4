# collecting one generation at a time
import gc
gc.collect()
l = []
l.append(l)
del l
print(gc.collect(0))
print(gc.collect(1))
print(gc.collect(2))
