# reference §9.1: a list that contains itself is freed by the collector
import gc

gc.collect()
l = []
l.append(l)
del l
n = gc.collect()
count = gc.get_count()   # read before printing: CPython's print machinery allocates (reference §9.2)
print(n)
print(count)
