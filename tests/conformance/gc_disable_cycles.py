# with the collector disabled, cycles wait for an explicit collect
import gc
gc.collect()
gc.disable()
for i in range(5):
    l = []
    l.append(l)
del l
print(gc.collect())
gc.enable()
