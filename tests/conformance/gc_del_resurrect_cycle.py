# a finalizer that resurrects its cycle: the objects survive this collection
import gc
keep = []
class R:
    def __del__(self):
        keep.append(self)
gc.collect()
r = R()
r.me = r
del r
print(gc.collect())
print(len(keep))
keep.clear()
print(gc.collect())
