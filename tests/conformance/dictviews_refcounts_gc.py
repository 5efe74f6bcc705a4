# views hold a strong reference to their dict: refcounts, gc tracking, cycles
import gc
import sys

d = {'x': 1}
base = sys.getrefcount(d)
k = d.keys()
print(sys.getrefcount(d) - base)
v = d.values()
i = d.items()
print(sys.getrefcount(d) - base)
print(gc.is_tracked(k), gc.is_tracked(v), gc.is_tracked(i), gc.is_tracked({}.keys()))
print(gc.get_referents(k) == [d], gc.get_referents(i)[0] is d, len(gc.get_referents(v)))
print(sys.getrefcount(k))
del k
print(sys.getrefcount(d) - base)
del v, i
print(sys.getrefcount(d) - base)
it = iter(d.items())
print(sys.getrefcount(d) - base)
list(it)
print(sys.getrefcount(d) - base)
r = reversed(d.keys())
print(sys.getrefcount(d) - base)
del r, it
gc.collect()
c = {}
c['self'] = c.keys()
del c
print(gc.collect())
c = {}
c['v'] = c.values()
c['i'] = c.items()
c['k'] = c.keys()
del c
print(gc.collect())
views = [{n: n}.items() for n in range(5)]
print(len(gc.get_referrers(views[0])) >= 1, views[2])
del views
print(gc.collect())
class Holder:
    pass
h = Holder()
h.view = {'h': h}.keys()
del h
print(gc.collect())
before = len(gc.get_objects())
ks = [{}.keys() for _ in range(10)]
print(len(gc.get_objects()) - before)
del ks
print(len(gc.get_objects()) - before)
