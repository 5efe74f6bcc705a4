# a weakref to an object in a cycle dies when the collector frees it
import gc
import weakref
class N:
    pass
gc.collect()
a = N()
a.self = a
r = weakref.ref(a)
del a
print(r() is None)
print(gc.collect())
print(r() is None)
