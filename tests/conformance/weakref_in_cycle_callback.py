# a callback runs when the collector frees the referent
import gc
import weakref
class N:
    pass
gc.collect()
n = N()
n.me = n
r = weakref.ref(n, lambda ref: print("callback"))
del n
print("collecting")
print(gc.collect())
