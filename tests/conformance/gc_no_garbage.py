# nothing to collect after plain refcount frees
import gc
gc.collect()
x = [1, 2, 3]
y = {"a": x}
del x, y
print(gc.collect())
