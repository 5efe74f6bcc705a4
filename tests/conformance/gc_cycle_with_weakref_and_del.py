# a cycle with a finalizer and a weak reference to it
import gc
import weakref
class N:
    def __del__(self):
        print("finalizing")
gc.collect()
n = N()
n.me = n
r = weakref.ref(n)
del n
print(gc.collect())
print(r())
